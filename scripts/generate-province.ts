// Writes a realistic applicant dataset of one province (the applicant summary
// of seed 001: one row per teacher requesting a higher academic rank) of any
// size, for trying and measuring batch jobs:
//
//   npx tsx scripts/generate-province.ts --rows 20000 --province ชัยนาท --format csv -o applicants.csv
//
// Options: --seed N (the same seed gives the same file), --english-headers,
// --format csv|xlsx (else from the -o extension). CSV is UTF-8 with a BOM (as
// Excel writes "CSV UTF-8"); XLSX goes through exceljs's streaming writer, so
// 100,000 rows stay in bounded memory either way. Place names are the
// districts and subdistricts of the province (from memory of the official
// lists; no registry was consulted); people's names are combinations of
// common given names and surnames, not real people.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';

interface ProvinceData {
  /** Municipalities by class: ทน. นคร, ทม. เมือง, ทต. ตำบล. */
  cities: string[];
  towns: string[];
  tambonMunicipalities: string[];
  /** Subdistricts run by a subdistrict administrative organisation (อบต.). */
  tambons: string[];
}

export const PROVINCES: Record<string, ProvinceData> = {
  ชัยนาท: {
    cities: [],
    towns: ['ชัยนาท'],
    tambonMunicipalities: ['หันคา', 'สรรพยา', 'วัดสิงห์', 'คุ้งสำเภา', 'แพรกศรีราชา', 'หางน้ำสาคร', 'บ้านเชี่ยน', 'โพนางดำ'],
    tambons: ['เขาท่าพระ', 'หาดท่าเสา', 'ธรรมามูล', 'เสือโฮก', 'นางลือ', 'บ้านกล้วย', 'ท่าชัย', 'วัดโคก', 'ศิลาดาน', 'ท่าฉนวน',
      'ไร่พัฒนา', 'อู่ตะเภา', 'มะขามเฒ่า', 'หนองน้อย', 'หนองบัว', 'หนองขุ่น', 'บ่อแร่', 'วังหมัน', 'ตลุก', 'เขาแก้ว', 'บางหลวง',
      'หาดอาษา', 'เที่ยงแท้', 'ห้วยกรด', 'โพงาม', 'บางขุด', 'ดงคอน', 'ดอนกำ', 'ไพรนกยูง', 'หนองแซง', 'ห้วยงู', 'วังไก่เถื่อน',
      'เด่นใหญ่', 'สามง่ามท่าโบสถ์', 'หนองมะโมง', 'วังตะเคียน', 'สะพานหิน', 'กุดจอก', 'เนินขาม', 'กะบกเตี้ย', 'สุขเดือนห้า'],
  },
  ลำปาง: {
    cities: ['ลำปาง'],
    towns: ['เขลางค์นคร'],
    tambonMunicipalities: ['เกาะคา', 'ลำปางหลวง', 'ห้างฉัตร', 'เถินบุรี', 'บ่อแฮ้ว', 'ต้นธงชัย', 'ปงแสนทอง', 'บ้านเสด็จ', 'แจ้ห่ม',
      'วังเหนือ', 'สบปราบ', 'แม่พริก', 'ศาลา', 'ไหล่หิน', 'หลวงเหนือ'],
    tambons: ['กล้วยแพะ', 'บ้านแลง', 'บ้านเอื้อม', 'บ้านเป้า', 'บ้านค่า', 'ทุ่งฝาย', 'นิคมพัฒนา', 'บุญนาคพัฒนา', 'นาแก้ว', 'วังพร้าว',
      'นาแส่ง', 'ท่าผา', 'ใหม่พัฒนา', 'หนองหล่ม', 'เมืองยาว', 'ปงยางคก', 'เวียงตาล', 'แม่สัน', 'วอแก้ว', 'นาครัว', 'บ้านกิ่ว',
      'บ้านบอม', 'น้ำโจ้', 'ดอนไฟ', 'หัวเสือ', 'วังเงิน', 'สันดอนแก้ว', 'บ้านโป่ง', 'บ้านร้อง', 'ปงเตา', 'นาแก', 'บ้านอ้อน',
      'บ้านแหง', 'บ้านหวด', 'แม่ตีบ', 'ล้อมแรด', 'แม่วะ', 'แม่ปะ', 'แม่มอก', 'เวียงมอก', 'นาโป่ง', 'แม่ถอด', 'แม่เมาะ',
      'สบป้าด', 'จางเหนือ', 'นาสัก', 'บ้านดง'],
  },
  แพร่: {
    cities: [],
    towns: ['แพร่'],
    tambonMunicipalities: ['ร้องกวาง', 'เด่นชัย', 'สูงเม่น', 'ห้วยอ้อ', 'บ้านกลาง', 'ทุ่งโฮ้ง', 'ช่อแฮ', 'ร่องฟอง', 'แม่คำมี', 'ป่าแดง', 'นาจักร', 'วังชิ้น'],
    tambons: ['น้ำชำ', 'เหมืองหม้อ', 'วังธง', 'แม่หล่าย', 'ห้วยม้า', 'ป่าแมต', 'บ้านถิ่น', 'สวนเขื่อน', 'วังหงส์', 'ทุ่งกวาว', 'ท่าข้าม',
      'แม่ยม', 'กาญจนา', 'หัวฝาย', 'ดอนมูล', 'บ้านเหล่า', 'บ้านกวาง', 'บ้านปง', 'บ้านกาศ', 'ร่องกาศ', 'สบสาย', 'เวียงทอง',
      'พระหลวง', 'บ้านปิน', 'ต้าผามอก', 'เวียงต้า', 'ปากกาง', 'หัวทุ่ง', 'ทุ่งแล้ง', 'บ่อเหล็กลอง', 'แม่ปาน', 'ร้องเข็ม', 'น้ำเลา',
      'บ้านเวียง', 'ทุ่งศรี', 'แม่ยางตาล', 'แม่ยางฮ่อ', 'ไผ่โทน', 'ห้วยโรง', 'แม่ทราย', 'แม่จั๊วะ', 'ไทรย้อย', 'ห้วยไร่', 'ปงป่าหวาย'],
  },
};

/** Headers of the applicant summary (seed 001), the `ที่` column first. */
export const THAI_HEADERS = ['ที่', 'จังหวัด', 'อบจ./เทศบาล/อบต.', 'สำนัก/กอง/โรงเรียน', 'ชื่อ - สกุล', 'ตำแหน่ง', 'เงินเดือน', 'อายุ',
  'ระดับวิทยฐานะที่เสนอขอ', 'กลุ่มสาระ', 'เรื่อง/วิชา/ชั้นเรียน'];
export const ENGLISH_HEADERS = ['No.', 'Province', 'Local authority', 'Unit', 'Name', 'Position', 'Salary', 'Age',
  'Rank requested', 'Subject group', 'Works'];

const MALE = ['สมชาย', 'สมศักดิ์', 'ประเสริฐ', 'วิชัย', 'สุรชัย', 'อนุชา', 'ธนากร', 'กิตติพงษ์', 'ณัฐพล', 'วีระพงษ์', 'สุทธิพงษ์',
  'ชัยวัฒน์', 'บุญเลิศ', 'สมบัติ', 'ไพโรจน์', 'เกรียงไกร', 'อำนาจ', 'ศักดิ์ชัย', 'ยุทธนา', 'พงศกร', 'ปิยะ', 'วรวุฒิ', 'จักรพันธ์',
  'ธีระ', 'มานพ', 'สุเมธ', 'ทวีศักดิ์', 'วิโรจน์', 'นพดล', 'มุ่งมั่น'];
const FEMALE = ['สมหญิง', 'สุภาพร', 'วิไลวรรณ', 'กนกวรรณ', 'ปราณี', 'รัตนา', 'จันทร์เพ็ญ', 'ศิริพร', 'นงลักษณ์', 'พรทิพย์', 'อรุณี',
  'ดวงใจ', 'มาลัย', 'สุดารัตน์', 'วันเพ็ญ', 'ลำดวน', 'ประภาพร', 'ณัฐธิดา', 'กาญจนา', 'เบญจวรรณ', 'จิราภรณ์', 'ปวีณา', 'อัญชลี',
  'ยุพิน', 'สุนันทา', 'พัชรี', 'ทัศนีย์', 'เยาวลักษณ์', 'ศศิธร', 'อุไรวรรณ', 'สมสวย'];
const SURNAMES = ['ใจดี', 'รักษ์ไทย', 'ศรีสุข', 'บุญมา', 'แก้วประเสริฐ', 'สุขเจริญ', 'ทองดี', 'มีสุข', 'พรหมมา', 'จันทร์แก้ว', 'วงศ์ใหญ่',
  'ศรีวงศ์', 'คำแสน', 'อินทร์แก้ว', 'ปัญญาดี', 'สายทอง', 'บุญเรือง', 'ชัยมงคล', 'เพชรรัตน์', 'นาคสวัสดิ์', 'ดวงแก้ว', 'ทองคำ',
  'กันทะวงศ์', 'ปันแก้ว', 'สิทธิชัย', 'อุ่นเรือน', 'คงสมบูรณ์', 'ศรีประเสริฐ', 'รุ่งเรือง', 'พึ่งทอง', 'ยอดยิ่ง', 'เรืองศรี',
  'บุญประเสริฐ', 'แสงอรุณ', 'มหาวงศ์', 'ธนสาร', 'ขันแก้ว', 'วงศ์ชัย', 'ไชยวงศ์', 'เขียวขำ', 'ขยันสอน', 'รอบคอบ', 'ยิ่งยศ'];
/**
 * Morphemes Thai surnames are compounded from. Every Thai family has its own
 * surname (the Surname Act), so a province's file repeats given names but
 * hardly any surname: most generated surnames are compounds, so a benchmark
 * sees as many new words as a real file does, not a few dozen cached ones.
 */
const SURNAME_HEADS = ['ศรี', 'แก้ว', 'ทอง', 'บุญ', 'สุข', 'พรหม', 'จันทร์', 'อินทร์', 'คำ', 'ชัย', 'เพชร', 'นาค', 'สาย', 'ปัญญา',
  'เรือง', 'มงคล', 'ธนา', 'รัตน', 'กิตติ', 'วิริยะ', 'อุดม', 'พูล', 'สิริ', 'ไพบูลย์', 'ธรรม', 'ชาญ', 'วิเศษ', 'รุ่ง', 'นิล', 'เงิน',
  'มณี', 'ทิพย์', 'จิต', 'ประชา', 'วรา', 'เกียรติ', 'สมบุญ', 'อ่อน', 'ดวง', 'ใจ'];
const SURNAME_MIDDLES = ['ประเสริฐ', 'เจริญ', 'สมบูรณ์', 'สวัสดิ์', 'ภักดี', 'วัฒนา', 'พานิช', 'รักษา', 'ไพศาล', 'ศักดิ์', 'บำรุง', 'สถิต',
  'อนันต์', 'ชาญ', 'อุดม', 'ไพโรจน์', 'วิจิตร', 'สุนทร', 'เลิศ', 'ยืน', 'มั่น', 'ทรัพย์', 'สิน', 'ผล', 'พิทักษ์', 'ธาร', 'นคร', 'ภูมิ',
  'กาญจน', 'โชติ', 'นิรันดร์', 'เสถียร', 'อำไพ', 'ปัญญา', 'เกษม', 'ศิลป์', 'โสภณ', 'วิไล', 'อาภรณ์', 'ทวี'];
const SURNAME_TAILS = ['วงศ์', 'สกุล', 'ชัย', 'ศรี', 'กุล', 'พันธ์', 'รักษ์', 'ทอง', 'แก้ว', 'พงษ์', 'วัฒน์', 'ธรรม', 'รัตน์', 'สุข',
  'ดี', 'งาม', 'ยิ่ง', 'ชาติ', 'บุตร', 'นนท์', 'กร', 'สิทธิ์', 'เดช', 'ฤทธิ์', 'วิทย์', 'ชน', 'เวช', 'โยธิน', 'ทรัพย์', 'ไพร'];

const TEMPLES = ['วัดศรีบุญเรือง', 'วัดพระธาตุ', 'วัดป่าแดง', 'วัดหัวข่วง', 'วัดท่ามะโอ', 'วัดศรีชุม', 'วัดบ้านใหม่', 'วัดธรรมามูล',
  'วัดเกาะ', 'วัดสวนดอก', 'วัดพระนอน', 'วัดหลวง'];

/** Topics per subject group (กลุ่มสาระการเรียนรู้) and the grades they are taught in. */
const SUBJECTS: { name: string; topics: string[]; grades: string[] }[] = [
  { name: 'ภาษาไทย', topics: ['การอ่านจับใจความ', 'การเขียนสะกดคำ', 'มาตราตัวสะกด', 'คำควบกล้ำ', 'การแต่งกาพย์ยานี 11'], grades: ['ป.1', 'ป.2', 'ป.3', 'ป.4', 'ป.5', 'ป.6', 'ม.1', 'ม.2', 'ม.3'] },
  { name: 'คณิตศาสตร์', topics: ['การบวกการลบ', 'โจทย์ปัญหาการคูณ', 'เศษส่วน', 'ทศนิยม', 'สมการเชิงเส้นตัวแปรเดียว', 'ร้อยละ'], grades: ['ป.2', 'ป.3', 'ป.4', 'ป.5', 'ป.6', 'ม.1', 'ม.2', 'ม.3'] },
  { name: 'วิทยาศาสตร์และเทคโนโลยี', topics: ['ระบบสุริยะ', 'สารและสมบัติของสาร', 'แรงและการเคลื่อนที่', 'พืชและสัตว์รอบตัว', 'วงจรไฟฟ้าอย่างง่าย'], grades: ['ป.4', 'ป.5', 'ป.6', 'ม.1', 'ม.2', 'ม.3', 'ม.4'] },
  { name: 'สังคมศึกษา ศาสนาและวัฒนธรรม', topics: ['ภูมิศาสตร์ประเทศไทย', 'พระพุทธศาสนา', 'หน้าที่พลเมือง', 'ประวัติศาสตร์สุโขทัย', 'เศรษฐกิจพอเพียง'], grades: ['ป.4', 'ป.5', 'ป.6', 'ม.1', 'ม.2', 'ม.3'] },
  { name: 'ภาษาต่างประเทศ', topics: ['Present Simple Tense', 'Vocabulary about Family', 'Reading for Main Idea', 'Daily Conversation'], grades: ['ป.5', 'ป.6', 'ม.1', 'ม.2', 'ม.3', 'ม.4'] },
  { name: 'สุขศึกษาและพลศึกษา', topics: ['การเจริญเติบโตของร่างกาย', 'กรีฑา', 'ฟุตบอล', 'อาหารและโภชนาการ'], grades: ['ป.4', 'ป.5', 'ป.6', 'ม.1', 'ม.2'] },
  { name: 'ศิลปะ', topics: ['ทัศนศิลป์', 'ดนตรีไทย', 'นาฏศิลป์ไทย', 'การวาดภาพระบายสี'], grades: ['ป.3', 'ป.4', 'ป.5', 'ป.6', 'ม.1'] },
  { name: 'การงานอาชีพ', topics: ['การปลูกผักสวนครัว', 'งานประดิษฐ์จากวัสดุท้องถิ่น', 'การทำขนมไทย', 'การเลี้ยงปลาดุก'], grades: ['ป.4', 'ป.5', 'ป.6', 'ม.1', 'ม.2', 'ม.3'] },
];
const EARLY_YEARS = { name: 'การศึกษาปฐมวัย', topics: ['ทักษะการสังเกต', 'กล้ามเนื้อมัดเล็ก', 'การเล่านิทานประกอบภาพ', 'ทักษะพื้นฐานทางคณิตศาสตร์'], grades: ['อนุบาลปีที่ 2', 'อนุบาลปีที่ 3'] };
const METHODS = ['แบบฝึกทักษะ', 'การจัดการเรียนรู้แบบร่วมมือ เทคนิค STAD', 'การเรียนรู้แบบโครงงาน', 'ชุดกิจกรรมการเรียนรู้'];
const PROJECTS = ['โรงเรียนส่งเสริมสุขภาพ', 'ห้องสมุดมีชีวิต', 'โรงเรียนวิถีพุทธ', 'ส่งเสริมการอ่าน'];

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

export interface ApplicantRecord {
  no: number;
  province: string;
  authority: string;
  unit: string;
  name: string;
  position: string;
  /** Whole baht, or baht and satang with two decimals, as the clerk typed it. */
  salary: string;
  age: number;
  rankRequested: string;
  subjectGroup: string;
  /** One title, or 2-3 numbered titles on separate lines. */
  works: string;
}

interface Authority { name: string; kind: 'pao' | 'city' | 'tambonMunicipality' | 'sao'; place: string; weight: number; tambons: string[] }

function authoritiesOf(province: string, data: ProvinceData): Authority[] {
  const tambons = data.tambons;
  return [
    { name: `อบจ.${province}`, kind: 'pao' as const, place: province, weight: 6, tambons },
    ...data.cities.map((p) => ({ name: `ทน.${p}`, kind: 'city' as const, place: p, weight: 12, tambons })),
    ...data.towns.map((p) => ({ name: `ทม.${p}`, kind: 'city' as const, place: p, weight: 8, tambons })),
    ...data.tambonMunicipalities.map((p) => ({ name: `ทต.${p}`, kind: 'tambonMunicipality' as const, place: p, weight: 2, tambons })),
    ...data.tambons.map((p) => ({ name: `อบต.${p}`, kind: 'sao' as const, place: p, weight: 1, tambons })),
  ];
}

/**
 * The rows of one province, authority by authority (as a province compiles
 * its list), numbered 1..rows. Only the per-authority counts are held in
 * memory, never the rows.
 */
export function* applicantRecords(options: { province: string; rows: number; seed: number }): Generator<ApplicantRecord> {
  const data = PROVINCES[options.province];
  if (!data) throw new Error(`unknown province "${options.province}": one of ${Object.keys(PROVINCES).join(', ')}`);
  const rnd = random(hash(options.province) ^ options.seed);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const authorities = authoritiesOf(options.province, data);
  const totalWeight = authorities.reduce((s, a) => s + a.weight, 0);
  const counts = authorities.map(() => 0);
  for (let i = 0; i < options.rows; i++) {
    let r = rnd() * totalWeight;
    let k = 0;
    while (r >= authorities[k]!.weight) { r -= authorities[k]!.weight; k++; }
    counts[k]! += 1;
  }
  let no = 0;
  for (const [k, authority] of authorities.entries()) {
    for (let i = 0; i < counts[k]!; i++) {
      no += 1;
      const roll = rnd();
      const position = roll < 0.86 ? 'ครู' : roll < 0.94 ? 'ผู้อำนวยการสถานศึกษา' : 'รองผู้อำนวยการสถานศึกษา';
      const admin = position !== 'ครู';
      const rank = rnd() < (admin ? 0.35 : 0.12) ? 'เชี่ยวชาญ' : 'ชำนาญการพิเศษ';
      const unit = unitOf(authority, rnd, pick, int);
      const earlyYears = !admin && unit.startsWith('ศูนย์พัฒนาเด็กเล็ก');
      const subject = earlyYears ? EARLY_YEARS : pick(SUBJECTS);
      const female = rnd() < 0.68;
      const roll2 = rnd();
      const surname = roll2 < 0.2 ? pick(SURNAMES)
        : roll2 < 0.45 ? `${pick(SURNAME_HEADS)}${pick(SURNAME_TAILS)}`
          : `${pick(SURNAME_HEADS)}${pick(SURNAME_MIDDLES)}${pick(SURNAME_TAILS)}`;
      const name = `${female ? (rnd() < 0.6 ? 'นาง' : 'นางสาว') : 'นาย'}${pick(female ? FEMALE : MALE)} ${surname}`;
      // Salary scales of คศ.2 / คศ.3 (baht a month), in steps of 10 baht.
      const [low, high] = rank === 'เชี่ยวชาญ' ? [38_000, 69_040] : [24_000, 58_390];
      const whole = Math.round(int(low, high) / 10) * 10;
      const decimals = rnd() < 0.2;
      const salary = decimals ? `${whole}.${rnd() < 0.3 ? '50' : '00'}` : String(whole);
      const age = rank === 'เชี่ยวชาญ' || admin ? int(40, 59) : int(30, 59);
      const count = int(1, 3);
      const titles = Array.from({ length: count }, () => admin ? adminWork(unit, pick) : teacherWork(subject, pick));
      const works = count === 1 ? titles[0]! : titles.map((t, j) => `${j + 1}. ${t}`).join('\n');
      yield { no, province: options.province, authority: authority.name, unit, name, position, salary, age, rankRequested: rank,
        subjectGroup: admin ? 'บริหารสถานศึกษา' : subject.name, works };
    }
  }
}

function unitOf(a: Authority, rnd: () => number, pick: <T>(items: readonly T[]) => T, int: (min: number, max: number) => number): string {
  switch (a.kind) {
    case 'pao': return rnd() < 0.5 ? `โรงเรียน${a.place}วิทยา` : `โรงเรียน${pick(a.tambons)}พิทยาคม`;
    case 'city': return `โรงเรียนเทศบาล ${int(1, 6)} (${pick(TEMPLES)})`;
    case 'tambonMunicipality': return rnd() < 0.8 ? `โรงเรียนเทศบาลตำบล${a.place}` : `ศูนย์พัฒนาเด็กเล็กเทศบาลตำบล${a.place}`;
    case 'sao': return rnd() < 0.4 ? `ศูนย์พัฒนาเด็กเล็กบ้าน${a.place}` : `โรงเรียนบ้าน${a.place}`;
  }
}

function teacherWork(subject: { name: string; topics: string[]; grades: string[] }, pick: <T>(items: readonly T[]) => T): string {
  const topic = pick(subject.topics);
  const grade = pick(subject.grades);
  switch (pick([0, 1, 2, 3])) {
    case 0: return `แบบฝึกทักษะ${subject.name} เรื่อง ${topic} ชั้น ${grade}`;
    case 1: return `ชุดกิจกรรมการเรียนรู้ เรื่อง ${topic} ชั้น ${grade}`;
    case 2: return `คู่มือการใช้แบบฝึกทักษะ เรื่อง ${topic}`;
    default: return `รายงานการพัฒนาผลสัมฤทธิ์ทางการเรียน เรื่อง ${topic} โดยใช้${pick(METHODS)} ของนักเรียนชั้น ${grade}`;
  }
}

function adminWork(unit: string, pick: <T>(items: readonly T[]) => T): string {
  return pick([
    `รายงานการวิจัย เรื่อง รูปแบบการพัฒนาคุณภาพการศึกษาของ${unit}`,
    `รายงานการประเมินโครงการ${pick(PROJECTS)} ${unit}`,
    `ศึกษาความพึงพอใจของชุมชนที่มีต่อการจัดการศึกษาของ${unit}`,
  ]);
}

const cells = (r: ApplicantRecord) => [String(r.no), r.province, r.authority, r.unit, r.name, r.position, r.salary, String(r.age), r.rankRequested, r.subjectGroup, r.works];

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV UTF-8 with a BOM and CRLF rows, as Excel saves "CSV UTF-8"; cells with new lines quoted. */
export async function writeCsv(path: string, headers: string[], records: Iterable<ApplicantRecord>): Promise<void> {
  const out = createWriteStream(path);
  const write = async (line: string) => { if (!out.write(line)) await once(out, 'drain'); };
  await write(`\ufeff${headers.map(csvField).join(',')}\r\n`);
  for (const r of records) await write(`${cells(r).map(csvField).join(',')}\r\n`);
  out.end();
  await once(out, 'finish');
}

/** An XLSX sheet with numbers as number cells (salary with a thousands format), works wrapped; rows committed as written. */
export async function writeXlsx(path: string, headers: string[], records: Iterable<ApplicantRecord>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('ผู้ขอรับการประเมิน');
  sheet.columns = [6, 10, 20, 34, 26, 22, 12, 6, 16, 24, 60].map((width) => ({ width }));
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.commit();
  for (const r of records) {
    const row = sheet.addRow([r.no, r.province, r.authority, r.unit, r.name, r.position, Number(r.salary), r.age, r.rankRequested, r.subjectGroup, r.works]);
    row.getCell(7).numFmt = r.salary.includes('.') ? '#,##0.00' : '#,##0';
    row.getCell(11).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

const USAGE = `usage: npx tsx scripts/generate-province.ts --rows N --province ชัยนาท|ลำปาง|แพร่ [--format csv|xlsx] [--seed N] [--english-headers] -o file

  Writes a made-up applicant file of one province (one teacher a row) for trying batch jobs.
  --rows N             data rows (default 30)
  --province NAME      ${Object.keys(PROVINCES).join(', ')} (default ชัยนาท)
  --format csv|xlsx    else from the -o extension; CSV is UTF-8 with a BOM
  --seed N             the same seed gives the same file (default 1)
  --english-headers    English column names instead of Thai
  -o, --output FILE    where to write
`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        rows: { type: 'string', default: '30' },
        province: { type: 'string', default: 'ชัยนาท' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        seed: { type: 'string', default: '1' },
        'english-headers': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    // An unknown option or a missing value: say which, then how to call it, never a stack trace.
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) { process.stdout.write(USAGE); return; }
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  const output = values.output;
  const format = values.format ?? output?.toLowerCase().match(/\.(csv|xlsx)$/)?.[1];
  if (!output || !Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(seed) || (format !== 'csv' && format !== 'xlsx')) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  if (!PROVINCES[values.province]) {
    console.error(`unknown province "${values.province}": one of ${Object.keys(PROVINCES).join(', ')}`);
    process.exit(2);
  }
  const headers = values['english-headers'] ? ENGLISH_HEADERS : THAI_HEADERS;
  const records = applicantRecords({ province: values.province, rows, seed });
  await (format === 'csv' ? writeCsv(output, headers, records) : writeXlsx(output, headers, records));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
