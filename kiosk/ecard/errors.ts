/**
 * Why an electronic social security card code (电子社保卡二维码) was refused. Each code has a short
 * screen text in both UI languages: the citizen can act on most of them (refresh the code, use the
 * physical card) and a generic "invalid" would leave them guessing.
 */
import { YktError } from '../../drivers/common/errors.js';

export const ECARD_ERROR_CODES = [
  /** Not this format at all, or a part does not decode (base64url, JSON, claim schema). */
  'ECARD_MALFORMED',
  /** Another issuer's code (other prefix or version), or signed with a key id this terminal does not trust. */
  'ECARD_FOREIGN',
  /** The signature does not verify under the trusted key its kid names. */
  'ECARD_TAMPERED',
  /** `exp` is past, beyond the allowed clock skew. */
  'ECARD_EXPIRED',
  /** `iat` is in the future, beyond the allowed clock skew (a wrong clock on one side). */
  'ECARD_NOT_YET_VALID',
  /** Online: the backend revoked the code (e.g. superseded by a newer code of the same card). */
  'ECARD_REVOKED',
  /** Online: signed by a trusted key, yet the backend never issued it. */
  'ECARD_UNKNOWN',
] as const;
export type EcardErrorCode = (typeof ECARD_ERROR_CODES)[number];

export type EcardLang = 'zh-CN' | 'en';

export const ECARD_REASONS: Readonly<Record<EcardErrorCode, Readonly<Record<EcardLang, string>>>> = {
  ECARD_MALFORMED: { 'zh-CN': '无法识别的二维码，请出示电子社保卡二维码', en: 'Unrecognised code. Show your e-SSC code' },
  ECARD_FOREIGN: { 'zh-CN': '本机不支持该二维码，请使用实体社保卡', en: 'Code not accepted here. Use your physical card' },
  ECARD_TAMPERED: { 'zh-CN': '二维码校验失败，请在手机上刷新后重试', en: 'Code check failed. Refresh it on your phone' },
  ECARD_EXPIRED: { 'zh-CN': '二维码已过期，请在手机上刷新', en: 'Code expired. Refresh it on your phone' },
  ECARD_NOT_YET_VALID: { 'zh-CN': '二维码时间异常，请检查手机时间后刷新', en: 'Code time is off. Check your phone clock and refresh' },
  ECARD_REVOKED: { 'zh-CN': '二维码已失效，请在手机上刷新', en: 'Code no longer valid. Refresh it on your phone' },
  ECARD_UNKNOWN: { 'zh-CN': '二维码无效，请使用实体社保卡', en: 'Code not valid. Use your physical card' },
};

export class EcardError extends YktError {
  declare readonly code: EcardErrorCode;
  constructor(code: EcardErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }

  /** The short screen text for this refusal. */
  reason(lang: EcardLang = 'zh-CN'): string {
    return ECARD_REASONS[this.code][lang];
  }
}

export function isEcardError(err: unknown, code?: EcardErrorCode): err is EcardError {
  return err instanceof EcardError && (code === undefined || err.code === code);
}
