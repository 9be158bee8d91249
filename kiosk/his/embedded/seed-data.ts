/**
 * The embedded HIS's demo hospital: six outpatient departments, their doctors and who sees
 * patients when. Fictional people, realistic shape: chief physicians see patients on a few
 * half-days a week and are booked out today, junior doctors work every day with places to spare.
 * Everything here is independent of the date, so the schedule looks the same whatever the clock.
 */
import type { Department, Doctor, DoctorTitle, Fee, Period } from '../interface.js';

export const DEPARTMENTS: readonly Department[] = [
  { id: 'internal', name: { zh: '内科', en: 'Internal Medicine' }, location: { zh: '门诊楼2层B区', en: 'Outpatient Building 2F, Zone B' } },
  { id: 'surgery', name: { zh: '外科', en: 'Surgery' }, location: { zh: '门诊楼3层A区', en: 'Outpatient Building 3F, Zone A' } },
  { id: 'pediatrics', name: { zh: '儿科', en: 'Pediatrics' }, location: { zh: '门诊楼1层C区', en: 'Outpatient Building 1F, Zone C' } },
  { id: 'obgyn', name: { zh: '妇产科', en: 'Obstetrics & Gynecology' }, location: { zh: '门诊楼4层A区', en: 'Outpatient Building 4F, Zone A' } },
  { id: 'ophthalmology', name: { zh: '眼科', en: 'Ophthalmology' }, location: { zh: '门诊楼5层B区', en: 'Outpatient Building 5F, Zone B' } },
  { id: 'dental', name: { zh: '口腔科', en: 'Stomatology' }, location: { zh: '门诊楼5层C区', en: 'Outpatient Building 5F, Zone C' } },
];

/** ISO weekdays (1 = Monday … 7 = Sunday) on which a doctor sees patients, per half-day. */
export interface Sessions {
  morning: readonly number[];
  afternoon: readonly number[];
}

export interface SeedDoctor extends Doctor {
  sessions: Sessions;
}

const WEEKDAYS = [1, 2, 3, 4, 5] as const;
const MON_SAT = [1, 2, 3, 4, 5, 6] as const;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7] as const;

/** Default rota by title; chief physicians name their own half-days. */
const ROTA: Record<Exclude<DoctorTitle, 'chief'>, Sessions> = {
  'associate-chief': { morning: WEEKDAYS, afternoon: [2, 4] },
  attending: { morning: MON_SAT, afternoon: MON_SAT },
  resident: { morning: EVERY_DAY, afternoon: EVERY_DAY },
};

function doctor(
  id: string,
  name: string,
  title: DoctorTitle,
  specialty: [zh: string, en: string],
  room: number,
  sessions?: Sessions,
): SeedDoctor {
  const departmentId = id.replace(/-\d+$/, '');
  const s = sessions ?? (title === 'chief' ? { morning: [1], afternoon: [] } : ROTA[title]);
  return { id, departmentId, name, title, specialty: { zh: specialty[0], en: specialty[1] }, room, sessions: s };
}

export const DOCTORS: readonly SeedDoctor[] = [
  doctor('internal-1', '王建华', 'chief', ['心血管内科', 'Cardiology'], 1, { morning: [1, 3, 5], afternoon: [4] }),
  doctor('internal-2', '刘芳', 'associate-chief', ['消化内科', 'Gastroenterology'], 2),
  doctor('internal-3', '陈明', 'attending', ['呼吸内科', 'Respiratory Medicine'], 3),
  doctor('internal-4', '赵磊', 'resident', ['普通内科', 'General Internal Medicine'], 4),
  doctor('surgery-1', '孙志刚', 'chief', ['普通外科', 'General Surgery'], 1, { morning: [2, 4], afternoon: [1] }),
  doctor('surgery-2', '黄志强', 'associate-chief', ['骨科', 'Orthopedics'], 2),
  doctor('surgery-3', '林晓东', 'attending', ['泌尿外科', 'Urology'], 3),
  doctor('pediatrics-1', '何丽娟', 'associate-chief', ['小儿呼吸', 'Pediatric Respiratory'], 1),
  doctor('pediatrics-2', '郭婷', 'attending', ['儿童保健', 'Child Health'], 2),
  doctor('pediatrics-3', '马超', 'resident', ['普通儿科', 'General Pediatrics'], 3),
  doctor('obgyn-1', '杨淑华', 'chief', ['产科', 'Obstetrics'], 1, { morning: [1, 2, 4], afternoon: [] }),
  doctor('obgyn-2', '罗静', 'attending', ['妇科', 'Gynecology'], 2),
  doctor('obgyn-3', '梁慧', 'resident', ['普通妇科', 'General Gynecology'], 3),
  doctor('ophthalmology-1', '许文博', 'chief', ['眼底病', 'Retinal Diseases'], 1, { morning: [3], afternoon: [1, 5] }),
  doctor('ophthalmology-2', '韩雪', 'attending', ['白内障', 'Cataract'], 2),
  doctor('dental-1', '冯国栋', 'associate-chief', ['口腔修复', 'Prosthodontics'], 1),
  doctor('dental-2', '唐佳', 'attending', ['牙体牙髓', 'Endodontics'], 2),
  doctor('dental-3', '宋宇', 'resident', ['口腔全科', 'General Dentistry'], 3),
];

export const DEPARTMENT_IDS = DEPARTMENTS.map((d) => d.id) as [string, ...string[]];
export const DOCTOR_IDS = DOCTORS.map((d) => d.id) as [string, ...string[]];

export function departmentById(id: string): Department | undefined {
  return DEPARTMENTS.find((d) => d.id === id);
}

export function doctorById(id: string): SeedDoctor | undefined {
  return DOCTORS.find((d) => d.id === id);
}

/** The public view of a doctor (without the rota). */
export function publicDoctor(d: SeedDoctor): Doctor {
  return { id: d.id, departmentId: d.departmentId, name: d.name, title: d.title, specialty: d.specialty, room: d.room };
}

/** 挂号费 1 yuan for everyone; 诊查费 by title, so totals are 50 / 30 / 20 / 10 yuan. */
export const FEES: Record<DoctorTitle, Fee> = {
  chief: { registrationFen: 100, consultationFen: 4900, totalFen: 5000 },
  'associate-chief': { registrationFen: 100, consultationFen: 2900, totalFen: 3000 },
  attending: { registrationFen: 100, consultationFen: 1900, totalFen: 2000 },
  resident: { registrationFen: 100, consultationFen: 900, totalFen: 1000 },
};

/** Patients per half hour: a senior doctor spends longer per patient. */
export const CAPACITY: Record<DoctorTitle, number> = { chief: 3, 'associate-chief': 4, attending: 5, resident: 6 };

/** Half-hour windows: 08:00–12:00 and 13:30–17:00. */
export const SLOT_STARTS: Record<Period, readonly string[]> = {
  morning: ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30'],
  afternoon: ['13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30'],
};

export function slotEnd(start: string): string {
  const [h, m] = start.split(':').map(Number) as [number, number];
  const t = h * 60 + m + 30;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

/** Share of places others have booked, by how many days ahead the slot is (today first). */
const LOAD = [0.75, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];

/** FNV-1a: a deterministic jitter, so the pattern is the same on every run and every date. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Places other patients already hold when a day opens: chief physicians are booked out today,
 * physicians (医师) always keep at least half their places, others follow the load with ±1 jitter.
 */
export function seededBooked(d: SeedDoctor, daysAhead: number, start: string): number {
  const cap = CAPACITY[d.title];
  if (d.title === 'chief' && daysAhead === 0) return cap;
  const load = LOAD[Math.min(Math.max(daysAhead, 0), LOAD.length - 1)]!;
  const jitter = (hash(`${d.id}|${daysAhead}|${start}`) % 3) - 1;
  const booked = Math.min(cap, Math.max(0, Math.round(cap * load) + jitter));
  return d.title === 'resident' ? Math.min(booked, Math.floor(cap / 2)) : booked;
}
