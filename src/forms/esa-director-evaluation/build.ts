import type { BlockInput, DocumentModelInput } from '../../model/document.js';
import { formatNumber, thaiDate } from '../../thai/index.js';
import { BANDS, COMPONENT2_WEIGHT, DEFAULT_ITEMS, resolvePart1, SIDES, type EsaDirectorScores, type Part1Item, type Side } from './compute.js';
import type { EsaDirectorEvaluation } from './schema.js';

/**
 * The document: the summary form (parts 1-4, three pages as the form says)
 * and the attached component forms, as in seed 004 attachments 10/1 and 10/2.
 * Numbers are written in Arabic digits; the renderers turn them Thai.
 */

const TICK = '✓'; // U+2713, drawn by the fallback font where the main font lacks it
const BOX = '☐';
const BOX_TICKED = '☑';
const DOTS = '....................';
const TABLE_SIZE = 14;

type Cell = string | { text: string; align?: 'left' | 'center' | 'right'; colSpan?: number; rowSpan?: number; bold?: boolean };

const arabic = { numerals: 'arabic' } as const;
const num = (value: string) => formatNumber(value, { ...arabic, decimals: 2 });
const date = (iso: string | undefined) => (iso ? thaiDate(iso, arabic) : DOTS);
const box = (ticked: boolean) => (ticked ? BOX_TICKED : BOX);

const p = (text: string, extra: Partial<Extract<BlockInput, { type: 'paragraph' }>> = {}): BlockInput => ({ type: 'paragraph', text, align: 'left', ...extra });
const heading = (text: string): BlockInput => p(text, { bold: true, keepWithNext: true });
const title = (lines: string[]): BlockInput => ({ type: 'paragraph', text: lines.join('\n'), align: 'center', bold: true });
const span = (text: string, colSpan: number, extra: Partial<Exclude<Cell, string>> = {}): Cell => ({ text, colSpan, align: 'center', ...extra });
const c = (text: string): Cell => ({ text, align: 'center' });
const bold = (text: string, align: 'left' | 'center' = 'left'): Cell => ({ text, bold: true, align });
/** A header cell running down `rowSpan` header rows, bold and centred (the rows below leave its column out). */
const down = (text: string, rowSpan: number): Cell => ({ text, bold: true, align: 'center', rowSpan });

function variantLine(data: EsaDirectorEvaluation): string {
  return data.variant === 'expert'
    ? 'วิทยฐานะผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาเชี่ยวชาญ'
    : 'ยังไม่มีวิทยฐานะผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาเชี่ยวชาญ';
}

function formTitle(data: EsaDirectorEvaluation, first: string[]): BlockInput {
  return title([...first, 'ตำแหน่งผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา', variantLine(data), 'สังกัดสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน']);
}

/** Round lines: the chosen round ticked, with its years. */
function roundLines(data: EsaDirectorEvaluation, computed: EsaDirectorScores, joiner: string): BlockInput[] {
  const year = (iso: string) => String(Number(iso.slice(0, 4)) + 543);
  const { from, to } = computed.round;
  const first = data.round === 1 ? [year(from), year(to)] : ['.....', '.....'];
  const second = data.round === 2 ? [year(from), year(to)] : ['.....', '.....'];
  return [
    p(`${box(data.round === 1)} ครั้งที่ 1 (1 ตุลาคม ${first[0]} ${joiner} 31 มีนาคม ${first[1]})`, { indent: '1cm', spaceBefore: 0 }),
    p(`${box(data.round === 2)} ครั้งที่ 2 (1 เมษายน ${second[0]} ${joiner} 30 กันยายน ${second[1]})`, { indent: '1cm', spaceBefore: 0 }),
  ];
}

/** Names, evaluator and round at the head of each component form. */
function componentHead(data: EsaDirectorEvaluation, computed: EsaDirectorScores): BlockInput[] {
  const e = data.evaluee;
  const v = data.evaluator;
  return [
    p(`ชื่อผู้รับการประเมิน ${e.name}  ตำแหน่ง ${e.position}  สังกัด ${e.unit}`),
    p(`ชื่อผู้ประเมิน ${v.name}  ตำแหน่ง ${v.position}  สังกัด ${v.unit ?? DOTS}`, { spaceBefore: 0 }),
    p('รอบการประเมิน', { spaceBefore: 0 }),
    ...roundLines(data, computed, 'ถึง'),
  ];
}

function signature(role: string, name: string, position: string, signedOn: string | undefined, colon = ''): BlockInput {
  return {
    type: 'signature',
    closing: [`(ลงชื่อ)${colon} ${DOTS}${DOTS} ${role}`.trimEnd()],
    blankLines: 0,
    name: `(${name})`,
    lines: [`ตำแหน่ง${colon} ${position}`, `วันที่${colon} ${date(signedOn)}`],
    keepWithNext: false,
  };
}

// ---- summary form: parts 1 to 4 ------------------------------------------------

function part1(data: EsaDirectorEvaluation, computed: EsaDirectorScores): BlockInput[] {
  const e = data.evaluee;
  const l = data.leave;
  const leave = (x: { times: number; days: string }) => `จำนวน ${x.times} ครั้ง ${formatNumber(x.days, arabic)} วัน`;
  return [
    p(data.variant === 'expert' ? 'เอกสารหมายเลข 10/1' : 'เอกสารหมายเลข 10/2', { align: 'right', spaceBefore: 0 }),
    formTitle(data, ['แบบประเมินผลการปฏิบัติงานของข้าราชการครูและบุคลากรทางการศึกษา']),
    heading('ส่วนที่ 1 : ข้อมูลของผู้ขอรับการประเมิน'),
    p('รอบการประเมิน'),
    ...roundLines(data, computed, '-'),
    p(`ชื่อผู้รับการประเมิน ${e.name}`),
    p(`ตำแหน่ง ${e.position}  เงินเดือน ${formatNumber(e.salary, arabic)} บาท`, { spaceBefore: 0 }),
    p(`สังกัด ${e.unit}`, { spaceBefore: 0 }),
    p(`จำนวนวันลาในรอบการประเมิน ${formatNumber(computed.leave.totalDays, arabic)} วัน ประกอบด้วย`, { spaceBefore: 0 }),
    p(`1) ลาป่วย ${leave(l.sick)}    2) ลากิจ ${leave(l.personal)}`, { indent: '1cm', spaceBefore: 0 }),
    p(`3) ลาอื่น ๆ (โปรดระบุ) ${l.other.kind ?? DOTS} ${leave(l.other)}`, { indent: '1cm', spaceBefore: 0 }),
    p(`ชื่อผู้ประเมิน ${data.evaluator.name}`),
    p(`ตำแหน่ง ${data.evaluator.position}`, { spaceBefore: 0 }),
    heading('คำชี้แจง'),
    p('แบบสรุปการประเมินผลการปฏิบัติงานนี้มี 3 หน้า ประกอบด้วย', { firstLineIndent: '1cm', align: 'thai-distributed' }),
    p('ส่วนที่ 1 : ข้อมูลของผู้รับการประเมิน เพื่อระบุรายละเอียดต่าง ๆ ที่เกี่ยวข้องกับตัวผู้รับการประเมิน', { firstLineIndent: '1cm', align: 'thai-distributed', spaceBefore: 0 }),
    p('ส่วนที่ 2 : สรุปผลการประเมิน ใช้เพื่อกรอกค่าคะแนนการประเมินในองค์ประกอบที่ 1 การประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานตามมาตรฐานตำแหน่ง องค์ประกอบที่ 2 การประเมินการมีส่วนร่วมในการพัฒนาการศึกษา และองค์ประกอบที่ 3 การประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ', { firstLineIndent: '1cm', align: 'thai-distributed', spaceBefore: 0 }),
    p('- สำหรับคะแนนองค์ประกอบที่ 1 ให้นำมาจากแบบประเมินองค์ประกอบที่ 1 โดยนำคะแนนจากสรุปคะแนนรวมแบบประเมินองค์ประกอบที่ 1 การประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานตามมาตรฐานตำแหน่ง และให้แนบท้ายแบบสรุปฉบับนี้', { firstLineIndent: '2cm', align: 'thai-distributed', spaceBefore: 0 }),
    p('- สำหรับคะแนนองค์ประกอบที่ 2 ให้นำมาจากแบบประเมินองค์ประกอบที่ 2 โดยนำคะแนนจากระดับความสำเร็จการมีส่วนร่วมในการพัฒนาการศึกษา และให้แนบท้ายแบบสรุปฉบับนี้', { firstLineIndent: '2cm', align: 'thai-distributed', spaceBefore: 0 }),
    p('- สำหรับคะแนนองค์ประกอบที่ 3 ให้นำมาจากแบบประเมินองค์ประกอบที่ 3 โดยนำคะแนนจากการประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ และให้แนบท้ายแบบสรุปฉบับนี้', { firstLineIndent: '2cm', align: 'thai-distributed', spaceBefore: 0 }),
    p('ส่วนที่ 3 : ผลการประเมิน ผู้รับการประเมินลงนามรับรองการประเมินตนเอง และผู้บังคับบัญชาประเมินและลงความเห็นของการประเมิน', { firstLineIndent: '1cm', align: 'thai-distributed', spaceBefore: 0 }),
    p('ส่วนที่ 4 : การรับทราบผลการประเมิน ผู้บังคับบัญชาแจ้งผลการประเมิน และผู้รับการประเมินลงนามรับทราบผลการประเมิน', { firstLineIndent: '1cm', align: 'thai-distributed', spaceBefore: 0 }),
  ];
}

function part2(computed: EsaDirectorScores): BlockInput[] {
  const { self, supervisor } = computed;
  return [
    heading('ส่วนที่ 2 : สรุปผลการประเมิน'),
    {
      type: 'table',
      widths: ['*', '2.2cm', '2.6cm', '3cm'],
      align: ['left', 'center', 'center', 'center'],
      header: [[bold('องค์ประกอบการประเมิน', 'center'), bold('คะแนนเต็ม', 'center'), bold('คะแนนประเมินตนเอง', 'center'), bold('คะแนนประเมินของผู้บังคับบัญชา', 'center')]],
      rows: [
        ['องค์ประกอบที่ 1 การประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานตามมาตรฐานตำแหน่ง', '80', num(self.component1.score), num(supervisor.component1.score)],
        ['องค์ประกอบที่ 2 การประเมินการมีส่วนร่วมในการพัฒนาการศึกษา', '10', num(self.component2.score), num(supervisor.component2.score)],
        ['องค์ประกอบที่ 3 การประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ', '10', num(self.component3.score), num(supervisor.component3.score)],
        [bold('คะแนนรวม', 'center'), bold('100', 'center'), bold(num(self.total), 'center'), bold(num(supervisor.total), 'center')],
      ],
    },
  ];
}

function part3(data: EsaDirectorEvaluation, computed: EsaDirectorScores): BlockInput[] {
  const opinion = data.supervisorOpinion?.text?.filter((t) => t.length > 0) ?? [];
  return [
    heading('ส่วนที่ 3 : ผลการประเมิน'),
    heading('3.1 ผลการประเมินตนเอง'),
    p('ข้าพเจ้าขอรับรองว่าได้ประเมินตนเองตรงตามความเป็นจริง', { indent: '1cm', spaceBefore: 0 }),
    signature('ผู้รับการประเมิน', data.evaluee.name, data.evaluee.position, data.selfCertification?.date),
    heading('3.2 ผลการประเมิน และความเห็นของผู้บังคับบัญชา'),
    p('3.2.1 ผลการประเมิน มี 5 ระดับ ดังนี้', { indent: '0.5cm', spaceBefore: 0, keepWithNext: true }),
    ...BANDS.map((b) => p(`${box(b.id === computed.band.id)} ${b.th} (${b.range})`, { indent: '1.5cm', spaceBefore: 0 })),
    p('3.2.2 ความเห็นของผู้บังคับบัญชา', { indent: '0.5cm', keepWithNext: true }),
    ...(opinion.length
      ? opinion.map((t) => p(t, { indent: '1cm', spaceBefore: 0, dotted: true, align: 'thai-distributed' }))
      : [1, 2, 3].map(() => p(' ', { indent: '1cm', spaceBefore: 0, dotted: true }))),
    signature('ผู้บังคับบัญชา', data.evaluator.name, data.evaluator.position, data.supervisorOpinion?.date),
  ];
}

function part4(data: EsaDirectorEvaluation): BlockInput[] {
  const ack = data.acknowledgement ?? { status: 'pending' as const };
  const refused = ack.status === 'refused' ? ack : undefined;
  const signedOn = ack.status === 'signed' ? ack.date : undefined;
  const witness = refused?.witness;
  return [
    heading('ส่วนที่ 4 : การรับทราบผลการประเมิน'),
    p('ผู้รับการประเมิน :', { bold: true }),
    p(`${box(ack.status === 'signed')} ได้รับทราบผลการประเมินและความเห็นของผู้บังคับบัญชาแล้ว`, { indent: '1cm', spaceBefore: 0 }),
    signature('', data.evaluee.name, data.evaluee.position, signedOn, ' :'),
    p('ผู้ประเมิน :', { bold: true }),
    p(`${box(ack.status === 'signed')} ได้แจ้งผลการประเมินและผู้รับการประเมินได้ลงนามรับทราบแล้ว`, { indent: '1cm', spaceBefore: 0 }),
    p(`${box(ack.status === 'refused')} ได้แจ้งผลการประเมินเมื่อวันที่ ${date(refused?.informedOn)} แล้ว`, { indent: '1cm', spaceBefore: 0 }),
    p('แต่ผู้รับการประเมินไม่ลงนามรับทราบ', { indent: '1.6cm', spaceBefore: 0 }),
    signature('', data.evaluator.name, data.evaluator.position, refused?.date ?? signedOn, ' :'),
    signature('พยาน', witness?.name ?? DOTS, witness?.position ?? DOTS, refused?.date, ' :'),
  ];
}

// ---- component forms --------------------------------------------------------------

const levelCells = (level: number, levels: number): Cell[] => Array.from({ length: levels }, (_, i) => c(i + 1 === level ? TICK : ''));
const levelHeader = (levels: number): Cell[] => Array.from({ length: levels }, (_, i) => bold(String(i + 1), 'center'));

const LEVEL_MEANINGS = [
  '1) ระดับ 1 หมายถึง ปฏิบัติได้ต่ำกว่าระดับการปฏิบัติที่คาดหวังมาก',
  '2) ระดับ 2 หมายถึง ปฏิบัติได้ต่ำกว่าระดับการปฏิบัติที่คาดหวัง',
  '3) ระดับ 3 หมายถึง ปฏิบัติได้ตามระดับการปฏิบัติที่คาดหวัง',
  '4) ระดับ 4 หมายถึง ปฏิบัติได้สูงกว่าระดับการปฏิบัติที่คาดหวัง',
];

function conversionLine(label: string, formula: (side: Side) => string): BlockInput {
  const who: Record<Side, string> = { self: 'ผู้รับการประเมิน', supervisor: 'ผู้บังคับบัญชา' };
  return p(`${label}  ${SIDES.map((s) => `${who[s]} ${formula(s)}`).join('    ')}`, { spaceBefore: 4, size: TABLE_SIZE });
}

function component1Part1(data: EsaDirectorEvaluation, computed: EsaDirectorScores): BlockInput[] {
  const { items, areas } = resolvePart1(data);
  const n = items.length;
  const rows: Cell[][] = [];
  // An area's heading row never ends a page without its first item.
  const areaRows: number[] = [];
  const seenAreas = new Set<string>();
  for (const item of items) {
    const area = areas.find((a) => item.no.startsWith(`${a.no}.`) && !seenAreas.has(a.no));
    if (area) {
      seenAreas.add(area.no);
      areaRows.push(rows.length);
      rows.push([{ text: `${area.no}. ${area.text}`, bold: true, colSpan: 9 }]);
    }
    rows.push(itemRow(item));
  }
  const s = computed.self.component1.part1;
  const v = computed.supervisor.component1.part1;
  rows.push([bold('คะแนนรวม', 'center'), span(num(s.total), 4, { bold: true }), span(num(v.total), 4, { bold: true })]);
  rows.push([
    `แปลงคะแนนรวมเป็นคะแนนระดับความสำเร็จในการพัฒนางานตามมาตรฐานตำแหน่งที่มีฐานเป็นคะแนนเต็ม 60 คะแนน (โดยนำคะแนนรวมที่ได้มาคูณกับ 60 แล้วหารด้วย ${4 * n} คือ 4 x จำนวนรายการ ${n} รายการ)`,
    span(num(s.score), 4, { bold: true }), span(num(v.score), 4, { bold: true }),
  ]);
  return [
    heading('ตอนที่ 1 : ระดับความสำเร็จในการพัฒนางานตามมาตรฐานตำแหน่ง (60 คะแนน)'),
    p(`คำชี้แจง การประเมินองค์ประกอบที่ 1 ตอนที่ 1 คะแนนรวม 60 คะแนน มีรายการประเมิน ${n} รายการ ให้ผู้รับการประเมิน ประเมินตนเอง และให้ผู้บังคับบัญชาประเมิน โดยใช้เครื่องหมาย ${TICK} ในช่องระดับ ดังนี้`, { align: 'thai-distributed', firstLineIndent: '1cm' }),
    ...LEVEL_MEANINGS.map((t) => p(t, { indent: '1cm', spaceBefore: 0 })),
    p('ให้นำคะแนนรวมแปลงเป็นคะแนนที่มีฐานเป็นคะแนนเต็ม 60 คะแนน ดังนี้', { align: 'left', firstLineIndent: '1cm' }),
    // On a line of its own, as the other parts set their formulas: inline, it broke inside its parentheses.
    p(`คะแนนประเมิน = (คะแนนรวม x 60) / (4 x ${n})`, { align: 'center', bold: true }),
    {
      type: 'table',
      size: TABLE_SIZE,
      widths: ['*', ...Array(8).fill('0.75cm')],
      align: ['left', ...Array(8).fill('center')],
      header: [
        [down('การปฏิบัติงาน', 3), span('ผลการประเมินตนเอง', 4, { bold: true }), span('ผลการประเมินของผู้บังคับบัญชา', 4, { bold: true })],
        [span('ระดับ', 4, { bold: true }), span('ระดับ', 4, { bold: true })],
        [...levelHeader(4), ...levelHeader(4)],
      ],
      rows,
      keepWithNextRows: areaRows,
    },
    conversionLine('การคำนวณ:', (side) => {
      const x = computed[side].component1.part1;
      return `${num(x.total)} x 60 / ${4 * n} = ${num(x.score)}`;
    }),
  ];
}

function itemRow(item: Part1Item): Cell[] {
  return [`${item.no} ${item.text}`, ...levelCells(item.self, 4), ...levelCells(item.supervisor, 4)];
}

function component1Part2(data: EsaDirectorEvaluation, computed: EsaDirectorScores): BlockInput[] {
  const t = DEFAULT_ITEMS.component1Part2;
  const p2 = data.component1.part2;
  const s = computed.self.component1.part2;
  const v = computed.supervisor.component1.part2;
  const row = (text: string, key: 'method' | 'quantitative' | 'qualitative'): Cell[] => [
    text,
    ...levelCells(p2[key].self, 4), c(num(s[key].score)),
    ...levelCells(p2[key].supervisor, 4), c(num(v[key].score)),
  ];
  return [
    heading('ตอนที่ 2 : ระดับความสำเร็จในการพัฒนางานที่เสนอเป็นประเด็นท้าทายเพื่อพัฒนาคุณภาพผู้เรียน ข้าราชการครูและบุคลากรทางการศึกษา สถานศึกษา และหน่วยงานการศึกษาในพื้นที่รับผิดชอบ (20 คะแนน)'),
    p('คำชี้แจง การประเมินองค์ประกอบที่ 1 ตอนที่ 2 คะแนนรวม 20 คะแนน ซึ่งมีรายการประเมิน 2 รายการ รายการละ 10 คะแนน โดยมีระดับการประเมินและเกณฑ์การให้คะแนน ดังนี้', { align: 'thai-distributed', firstLineIndent: '1cm' }),
    heading('ระดับการประเมิน'),
    p(`ให้ผู้รับการประเมิน ประเมินตนเอง และให้ผู้บังคับบัญชาประเมิน โดยใช้เครื่องหมาย ${TICK} ในช่องคะแนน`, { firstLineIndent: '1cm', spaceBefore: 0 }),
    ...LEVEL_MEANINGS.map((x) => p(x, { indent: '1cm', spaceBefore: 0 })),
    heading('เกณฑ์การให้คะแนน'),
    p('1) การประเมินตอนที่ 2 กำหนดให้มีเกณฑ์การให้คะแนนระดับคุณภาพ 4 ระดับ คือ ระดับ 4 ระดับ 3 ระดับ 2 และระดับ 1 ในแต่ละระดับคุณภาพกำหนดค่าคะแนน ดังนี้', { align: 'thai-distributed', firstLineIndent: '1cm', spaceBefore: 0 }),
    {
      type: 'table',
      size: TABLE_SIZE,
      widths: ['2cm', '3cm', '3cm'],
      align: ['center', 'center', 'center'],
      header: [[bold('ระดับ', 'center'), bold('คะแนนเต็ม 10', 'center'), bold('คะแนนเต็ม 20', 'center')]],
      rows: [['4', '10.00', '20.00'], ['3', '7.50', '15.00'], ['2', '5.00', '10.00'], ['1', '2.50', '5.00']],
    },
    p('2) ให้นำคะแนนรวมแปลงเป็นคะแนนระดับความสำเร็จในการพัฒนางานที่เสนอเป็นประเด็นท้าทายเพื่อพัฒนาคุณภาพผู้เรียน ข้าราชการครูและบุคลากรทางการศึกษา สถานศึกษา และหน่วยงานการศึกษาในพื้นที่รับผิดชอบที่มีฐานเป็นคะแนนเต็ม 20 คะแนน ดังนี้', { align: 'thai-distributed', firstLineIndent: '1cm' }),
    p('คะแนนประเมิน = (คะแนนรวม x 20) / 40', { align: 'center', bold: true }),
    {
      type: 'table',
      size: TABLE_SIZE,
      widths: ['*', ...Array(4).fill('0.65cm'), '1.35cm', ...Array(4).fill('0.65cm'), '1.35cm'],
      align: ['left', ...Array(10).fill('center')],
      header: [
        [down('รายการประเมิน', 3), span('ผลการประเมินตนเอง', 5, { bold: true }), span('ผลการประเมินของผู้บังคับบัญชา', 5, { bold: true })],
        [span('ระดับ', 4, { bold: true }), down('คะแนน', 2), span('ระดับ', 4, { bold: true }), down('คะแนน', 2)],
        [...levelHeader(4), ...levelHeader(4)],
      ],
      rows: [
        row(t.method, 'method'),
        [t.results, ...Array(10).fill('')],
        row(t.quantitative, 'quantitative'),
        row(t.qualitative, 'qualitative'),
        [bold('คะแนนรวม', 'center'), span(num(s.total), 5, { bold: true }), span(num(v.total), 5, { bold: true })],
        [
          'แปลงคะแนนรวมเป็นคะแนนระดับความสำเร็จในการพัฒนางานที่เสนอเป็นประเด็นท้าทาย เพื่อพัฒนาคุณภาพผู้เรียน ข้าราชการครูและบุคลากรทางการศึกษา สถานศึกษา และหน่วยงานการศึกษาในพื้นที่รับผิดชอบที่มีฐานเป็นคะแนนเต็ม 20 คะแนน (โดยนำคะแนนรวมที่ได้มาคูณกับ 20 แล้วหารด้วย 40)',
          span(num(s.score), 5, { bold: true }), span(num(v.score), 5, { bold: true }),
        ],
      ],
    },
    conversionLine('การคำนวณ:', (side) => {
      const x = computed[side].component1.part2;
      return `${num(x.total)} x 20 / 40 = ${num(x.score)}`;
    }),
  ];
}

function component1Summary(computed: EsaDirectorScores): BlockInput[] {
  const { self: s, supervisor: v } = computed;
  return [
    heading('สรุปคะแนนรวมแบบประเมินองค์ประกอบที่ 1 การประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานตามมาตรฐานตำแหน่ง'),
    {
      type: 'table',
      widths: ['*', '2.2cm', '2.6cm', '3cm'],
      align: ['left', 'center', 'center', 'center'],
      header: [[bold('รายการประเมิน', 'center'), bold('คะแนนเต็ม', 'center'), bold('คะแนนประเมินตนเอง', 'center'), bold('คะแนนประเมินของผู้บังคับบัญชา', 'center')]],
      rows: [
        ['ตอนที่ 1 ระดับความสำเร็จในการพัฒนางานตามมาตรฐานตำแหน่ง', '60', num(s.component1.part1.score), num(v.component1.part1.score)],
        ['ตอนที่ 2 ระดับความสำเร็จในการพัฒนางานที่เสนอเป็นประเด็นท้าทาย เพื่อพัฒนาคุณภาพผู้เรียน ข้าราชการครูและบุคลากรทางการศึกษา สถานศึกษา และหน่วยงานการศึกษาในพื้นที่รับผิดชอบ', '20', num(s.component1.part2.score), num(v.component1.part2.score)],
        [bold('คะแนนรวม', 'center'), bold('80', 'center'), bold(num(s.component1.score), 'center'), bold(num(v.component1.score), 'center')],
      ],
    },
  ];
}

function component2(data: EsaDirectorEvaluation, computed: EsaDirectorScores): BlockInput[] {
  const s = computed.self.component2;
  const v = computed.supervisor.component2;
  const percents = SIDES.filter((side) => computed[side].component2.percent !== null);
  const who: Record<Side, string> = { self: 'ตามการประเมินตนเอง', supervisor: 'ตามการประเมินของผู้บังคับบัญชา' };
  return [
    formTitle(data, ['แบบประเมินองค์ประกอบที่ 2', 'การประเมินการมีส่วนร่วมในการพัฒนาการศึกษา']),
    ...componentHead(data, computed),
    heading('ระดับความสำเร็จการมีส่วนร่วมในการพัฒนาการศึกษา (10 คะแนน)'),
    p('คำชี้แจง การประเมินระดับความสำเร็จการมีส่วนร่วมในการพัฒนาการศึกษา คะแนนรวม 10 คะแนน โดยพิจารณาจากปริมาณงานที่ได้รับมอบหมายจากผู้บังคับบัญชาแล้วเสร็จ โดยมีระดับการประเมินและเกณฑ์การให้คะแนน ดังนี้', { align: 'thai-distributed', firstLineIndent: '1cm' }),
    heading('ระดับการประเมิน'),
    p(`ให้ผู้รับการประเมินและผู้บังคับบัญชาประเมินตามรายการประเมินตามสภาพการปฏิบัติงานจริงของผู้รับการประเมิน โดยใช้เครื่องหมาย ${TICK} ในช่องระดับการประเมิน และคำนวณตามเกณฑ์การประเมิน ดังนี้`, { align: 'thai-distributed', firstLineIndent: '1cm', spaceBefore: 0 }),
    ...['ร้อยละ 19.99 ลงมา', 'ร้อยละ 20.00 - 39.99', 'ร้อยละ 40.00 - 59.99', 'ร้อยละ 60.00 - 79.99', 'ร้อยละ 80.00 ขึ้นไป']
      .map((range, i) => p(`${i + 1}) ระดับ ${i + 1} หมายถึง ปฏิบัติงานที่ผู้บังคับบัญชามอบหมายแล้วเสร็จ ${range}`, { indent: '1cm', spaceBefore: 0 })),
    heading('เกณฑ์การให้คะแนน'),
    p('ให้นำคะแนนรวมมาเป็นคะแนนประเมินการมีส่วนร่วมในการพัฒนาการศึกษาที่มีฐานเป็นคะแนนเต็ม 10 คะแนน โดยกำหนดเกณฑ์การให้คะแนน ดังนี้', { align: 'thai-distributed', firstLineIndent: '1cm', spaceBefore: 0 }),
    p('คะแนนที่ได้ = ระดับการประเมิน x ค่าน้ำหนัก', { align: 'center', bold: true }),
    {
      type: 'table',
      size: TABLE_SIZE,
      // The weight and score headers break where the words do (ค่า|น้ำหนัก, คะแนน|ที่ได้): left to the
      // layout, they broke inside น้ำหนัก and inside (ก x ข).
      widths: ['*', ...Array(5).fill('0.6cm'), '1.4cm', '1.4cm', ...Array(5).fill('0.6cm'), '1.4cm', '1.4cm'],
      align: ['left', ...Array(14).fill('center')],
      header: [
        [down('รายการประเมิน', 3), span('ผลการประเมินตนเอง', 7, { bold: true }), span('ผลการประเมินของผู้บังคับบัญชา', 7, { bold: true })],
        [span('ระดับการประเมิน (ก)', 5, { bold: true }), down('ค่า\nน้ำหนัก\n(ข)', 2), down('คะแนน\nที่ได้\n(ก x ข)', 2),
          span('ระดับการประเมิน (ก)', 5, { bold: true }), down('ค่า\nน้ำหนัก\n(ข)', 2), down('คะแนน\nที่ได้\n(ก x ข)', 2)],
        [...levelHeader(5), ...levelHeader(5)],
      ],
      rows: [
        ['ความสำเร็จของงานที่ได้รับมอบหมายจากผู้บังคับบัญชา',
          ...levelCells(s.level, 5), c(String(COMPONENT2_WEIGHT)), c(num(s.score)),
          ...levelCells(v.level, 5), c(String(COMPONENT2_WEIGHT)), c(num(v.score))],
        [bold('คะแนนรวม', 'center'), span(num(s.score), 7, { bold: true }), span(num(v.score), 7, { bold: true })],
      ],
    },
    ...(percents.length
      ? [p(`ร้อยละของงานที่ได้รับมอบหมายแล้วเสร็จ: ${percents.map((side) => `${who[side]} ร้อยละ ${formatNumber(computed[side].component2.percent!, arabic)} (ระดับ ${computed[side].component2.level})`).join('  ')}`, { size: TABLE_SIZE, spaceBefore: 4 })]
      : []),
    conversionLine('การคำนวณ:', (side) => `${computed[side].component2.level} x ${COMPONENT2_WEIGHT} = ${num(computed[side].component2.score)}`),
  ];
}

function component3(data: EsaDirectorEvaluation, computed: EsaDirectorScores): BlockInput[] {
  const items = data.component3.items;
  const s = computed.self.component3;
  const v = computed.supervisor.component3;
  return [
    formTitle(data, ['แบบประเมินองค์ประกอบที่ 3', 'การประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ']),
    ...componentHead(data, computed),
    heading('การประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ (10 คะแนน)'),
    p('คำชี้แจง การประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ มีรายการประเมิน 10 รายการ โดยพิจารณาจากพฤติกรรมในการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ โดยมีเกณฑ์การให้คะแนน ดังนี้', { align: 'thai-distributed', firstLineIndent: '1cm' }),
    ...['ปฏิบัติได้ต่ำกว่าระดับที่คาดหวังมาก', 'ปฏิบัติได้ต่ำกว่าระดับที่คาดหวัง', 'ปฏิบัติได้ตามระดับที่คาดหวัง', 'ปฏิบัติได้สูงกว่าระดับที่คาดหวัง']
      .map((meaning, i) => p(`${i + 1}) คะแนน ${i + 1} หมายถึง ${meaning}`, { indent: '1cm', spaceBefore: 0 })),
    p('โดยให้นำคะแนนรวมแปลงเป็นคะแนนประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพที่มีฐานเป็นคะแนนเต็ม 10 คะแนน โดยกำหนดเกณฑ์การให้คะแนน ดังนี้', { align: 'thai-distributed', firstLineIndent: '1cm' }),
    p('คะแนนประเมิน = คะแนนรวม / 4', { align: 'center', bold: true }),
    {
      type: 'table',
      size: TABLE_SIZE,
      widths: ['0.8cm', '*', ...Array(8).fill('0.75cm')],
      align: ['center', 'left', ...Array(8).fill('center')],
      header: [
        [down('ที่', 3), down('รายการประเมิน', 3), span('ผลการประเมินตนเอง', 4, { bold: true }), span('ผลการประเมินของผู้บังคับบัญชา', 4, { bold: true })],
        [span('คะแนน', 4, { bold: true }), span('คะแนน', 4, { bold: true })],
        [...levelHeader(4), ...levelHeader(4)],
      ],
      rows: [
        ...DEFAULT_ITEMS.component3.items.map((text, i): Cell[] => [String(i + 1), text, ...levelCells(items[i]!.self, 4), ...levelCells(items[i]!.supervisor, 4)]),
        [span('คะแนนรวม', 2, { bold: true }), span(num(s.total), 4, { bold: true }), span(num(v.total), 4, { bold: true })],
        [{ text: 'แปลงคะแนนรวมเป็นคะแนนการประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพที่มีฐานคะแนนเต็มเป็น 10 คะแนน (โดยนำคะแนนรวมหารด้วย 4)', colSpan: 2 },
          span(num(s.score), 4, { bold: true }), span(num(v.score), 4, { bold: true })],
      ],
    },
    conversionLine('การคำนวณ:', (side) => `${num(computed[side].component3.total)} / 4 = ${num(computed[side].component3.score)}`),
  ];
}

/**
 * The component forms set their instructions at the tables' size, so that
 * components 2 and 3 each keep to one page as on the printed form.
 */
function compact(blocks: BlockInput[]): BlockInput[] {
  return blocks.map((b) => (b.type === 'paragraph' && b.size === undefined && !(b.align === 'center' && b.bold) ? { ...b, size: TABLE_SIZE } : b));
}

export function buildEsaDirectorEvaluation(data: EsaDirectorEvaluation, computed: EsaDirectorScores): DocumentModelInput {
  const pageBreak: BlockInput = { type: 'pageBreak' };
  return {
    title: `แบบประเมินผลการปฏิบัติงาน ผอ.สพท. ${data.evaluee.name}`,
    align: 'left',
    page: { pageNumbers: true, continuation: false },
    blocks: [
      ...part1(data, computed),
      pageBreak,
      ...part2(computed),
      ...part3(data, computed),
      pageBreak,
      ...part4(data),
      pageBreak,
      formTitle(data, ['แบบประเมินองค์ประกอบที่ 1', 'การประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานตามมาตรฐานตำแหน่ง']),
      ...compact([...componentHead(data, computed), ...component1Part1(data, computed), ...component1Part2(data, computed), ...component1Summary(computed)]),
      pageBreak,
      ...compact(component2(data, computed)),
      pageBreak,
      ...compact(component3(data, computed)),
    ],
  };
}
