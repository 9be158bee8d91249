/**
 * Byte stream ↔ USB HID reports. Our convention (the reference devices define none):
 * 64-byte reports; byte 0 = payload length n (1..63), bytes 1..n = stream bytes, the rest padding.
 * node-hid wants the report id first on write, so outgoing reports are 65 bytes starting with 0x00.
 */
export const HID_REPORT_SIZE = 64;
export const HID_MAX_PAYLOAD = HID_REPORT_SIZE - 1;

/** Splits stream bytes into node-hid write arrays (report id 0x00 + 64-byte report). */
export function encodeHidReports(bytes: Uint8Array): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < bytes.length; i += HID_MAX_PAYLOAD) {
    const chunk = bytes.subarray(i, i + HID_MAX_PAYLOAD);
    const report = new Array<number>(HID_REPORT_SIZE + 1).fill(0);
    report[1] = chunk.length;
    for (let j = 0; j < chunk.length; j++) report[2 + j] = chunk[j];
    out.push(report);
  }
  return out;
}

/** Payload of one incoming report (no report id byte); empty when the length byte is out of range. */
export function decodeHidReport(report: Uint8Array): Uint8Array {
  const n = report[0] ?? 0;
  if (n < 1 || n > HID_MAX_PAYLOAD || n > report.length - 1) return new Uint8Array(0);
  return report.slice(1, 1 + n);
}
