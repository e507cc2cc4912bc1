// The clerk's pages. Plain ES module, no build step: every form page is
// generated from the JSON Schema that GET /api/v1/forms publishes, and every
// error message comes from the server's 400 answers ({error:{fields:[{path,th,en}]}}).

const TEXT = {
  th: {
    loading: 'กำลังโหลด…', 'nav.forms': 'แบบฟอร์ม', 'nav.batch': 'งานชุด', 'nav.tools': 'แม่แบบและจดหมายเวียน', skip: 'ข้ามไปยังเนื้อหา',
    switchTo: 'English', formsTitle: 'เลือกแบบฟอร์ม', formsSub: 'กรอกข้อมูล ดูตัวอย่างหน้าแรก แล้วดาวน์โหลดเป็น PDF หรือ DOCX',
    fill: 'กรอกแบบฟอร์ม', batch: 'งานชุดจากไฟล์ CSV/XLSX', userForm: 'แม่แบบของหน่วยงาน',
    required: 'จำเป็น', requiredNote: 'ช่องที่มีเครื่องหมาย * ต้องกรอก', add: 'เพิ่มรายการ', remove: 'ลบ', removeItem: 'ลบรายการที่',
    datePick: 'เลือกวันที่จากปฏิทิน', calendar: 'ปฏิทิน', dateHint: 'วว/ดด/ปปปป (พ.ศ.) เช่น 17/02/2565', dateInvalid: 'วันที่ไม่ถูกต้องหรือไม่มีอยู่จริง ใช้รูปแบบ วว/ดด/ปปปป (พ.ศ.) เช่น 17/02/2565',
    preview: 'แสดงตัวอย่าง', pdf: 'ดาวน์โหลด PDF', docx: 'ดาวน์โหลด DOCX', example: 'ตัวอย่างข้อมูล', loadExample: 'ใส่ข้อมูลตัวอย่าง', clear: 'ล้างข้อมูล', clearConfirm: 'ล้างข้อมูลที่กรอกไว้ทั้งหมดในหน้านี้?', cleared: 'ล้างข้อมูลแล้ว', draftRestored: 'นำข้อมูลที่กรอกค้างไว้กลับมาแล้ว',
    previewTitle: 'ตัวอย่างเอกสาร', previewEmpty: 'กด “แสดงตัวอย่าง” เพื่อดูหน้าเอกสารก่อนดาวน์โหลด', page: 'หน้า', of: 'จาก', prev: 'หน้าก่อน', next: 'หน้าถัดไป',
    working: 'กำลังจัดทำเอกสาร…', downloaded: 'ดาวน์โหลดแล้ว', exampleLoaded: 'ใส่ข้อมูลตัวอย่างแล้ว', fixFields: 'กรุณาแก้ไขช่องต่อไปนี้', options: 'ตัวเลือกการพิมพ์', emblem: 'ไฟล์ตราครุฑ (PNG, JPEG, SVG)',
    archive: 'PDF/A (เก็บถาวร)', archiveHint: 'PDF/A-3b สำหรับเก็บถาวร แนบข้อมูลที่กรอกเป็นไฟล์ JSON ไว้ในเอกสาร ให้ระบบของผู้รับอ่านตัวเลขได้โดยไม่ต้องพิมพ์ใหม่ (เฉพาะ PDF)',
    sign: 'ลงนามดิจิทัล', signHint: 'ลงนามด้วยใบรับรองอิเล็กทรอนิกส์ของหน่วยงาน ตรวจสอบได้ในโปรแกรมอ่าน PDF (เฉพาะ PDF ไฟล์ DOCX ไม่ลงนาม)',
    yes: 'ใช่', back: '← กลับไปหน้ารายการแบบฟอร์ม', unknownForm: 'ไม่พบแบบฟอร์มนี้', networkError: 'ติดต่อเครื่องแม่ข่ายไม่ได้',
    batchTitle: 'งานชุด: เอกสารจำนวนมากจากไฟล์', batchSub: 'ลากไฟล์ CSV หรือ XLSX มาวาง ระบบจะจัดทำเอกสารตามกลุ่มและรายงานแถวที่มีปัญหา',
    noBatch: 'ยังไม่มีแบบฟอร์มที่รองรับงานชุด', dropHere: 'ลากไฟล์ CSV หรือ XLSX มาวางที่นี่ หรือกดเพื่อเลือกไฟล์', chosen: 'ไฟล์ที่เลือก',
    columns: 'คอลัมน์ที่ระบบรู้จัก', column: 'คอลัมน์', headers: 'หัวคอลัมน์ที่ใช้ได้', shared: 'ข้อมูลที่ใช้ร่วมกันทุกฉบับ',
    groupBy: 'แยกเอกสารตาม', 'group.authority': 'องค์กรปกครองส่วนท้องถิ่น', 'group.province': 'จังหวัด', 'group.none': 'ไม่แยก (ฉบับเดียว)',
    output: 'ผลลัพธ์', 'output.zip': 'ไฟล์ ZIP แยกฉบับ', 'output.pdf': 'PDF รวมไฟล์เดียว', format: 'รูปแบบไฟล์ในZIP', sheet: 'ชื่อชีต (XLSX ถ้ามีหลายชีต)',
    start: 'เริ่มจัดทำ', noFile: 'กรุณาเลือกไฟล์ CSV หรือ XLSX', state: 'สถานะ', 'state.queued': 'รอคิว', 'state.running': 'กำลังทำงาน', 'state.done': 'เสร็จแล้ว', 'state.failed': 'ล้มเหลว',
    rows: 'แถว', groups: 'กลุ่ม', pages: 'หน้า', downloadResult: 'ดาวน์โหลดผลลัพธ์', badRows: 'แถวที่มีปัญหา', row: 'แถว', problem: 'ปัญหา', badRowMore: 'และอีก', items: 'รายการ', groupErrors: 'กลุ่มที่ไม่ได้จัดทำ (ข้อมูลไม่สอดคล้องกัน)', group: 'กลุ่ม',
    toolsTitle: 'แม่แบบและจดหมายเวียน', toolsSub: 'สำหรับเจ้าหน้าที่ไอทีของหน่วยงาน: เพิ่มแบบฟอร์มของหน่วยงานเอง หรือเติมข้อมูลลงในไฟล์ Word',
    tplTitle: 'เพิ่มแม่แบบ Handlebars', tplId: 'รหัสแบบฟอร์ม (a-z, 0-9, -)', tplTh: 'ชื่อภาษาไทย', tplEn: 'ชื่อภาษาอังกฤษ', tplFile: 'ไฟล์แม่แบบ (.hbs)', tplSchema: 'ไฟล์ JSON Schema ของข้อมูล (.json)', tplUpload: 'อัปโหลดแม่แบบ', tplDone: 'เพิ่มแบบฟอร์มแล้ว:',
    mergeTitle: 'จดหมายเวียนจากไฟล์ Word (.docx)', mergeDocx: 'ไฟล์ Word ที่มี {{ชื่อช่อง}}', mergeData: 'ข้อมูล: JSON หรือ CSV/XLSX (หนึ่งฉบับต่อหนึ่งแถว)', mergeFormat: 'ผลลัพธ์', mergeGo: 'สร้างเอกสาร',
    docsLink: 'คู่มือรูปแบบแม่แบบ',
    mapTitle: 'จับคู่คอลัมน์', mapSub: 'เลือกหัวคอลัมน์ในไฟล์ที่ตรงกับข้อมูลแต่ละช่อง ระบบเดาให้แล้ว ตรวจแล้วแก้ได้ หน่วยงานนี้จะใช้ค่าที่เลือกในครั้งต่อไป', headerRow: 'แถวหัวตารางในไฟล์: แถวที่', fileColumn: 'หัวคอลัมน์ในไฟล์', notUsed: '— ไม่ใช้ —', mapMissing: 'ยังไม่ได้เลือกคอลัมน์ที่จำเป็น',
  },
  en: {
    loading: 'Loading…', 'nav.forms': 'Forms', 'nav.batch': 'Batch', 'nav.tools': 'Templates & mail merge', skip: 'Skip to content',
    switchTo: 'ไทย', formsTitle: 'Choose a form', formsSub: 'Fill it in, preview the first page, download PDF or DOCX',
    fill: 'Fill in', batch: 'Batch from CSV/XLSX', userForm: 'Office template',
    required: 'required', requiredNote: 'Fields marked * are required', add: 'Add item', remove: 'Remove', removeItem: 'Remove item',
    datePick: 'Pick a date from the calendar', calendar: 'Calendar', dateHint: 'DD/MM/YYYY (Buddhist era), e.g. 17/02/2565', dateInvalid: 'Not a valid date: use DD/MM/YYYY (Buddhist era), e.g. 17/02/2565',
    preview: 'Preview', pdf: 'Download PDF', docx: 'Download DOCX', example: 'Example data', loadExample: 'Fill with an example', clear: 'Clear', clearConfirm: 'Clear everything typed on this page?', cleared: 'Cleared', draftRestored: 'Your unfinished entries are back',
    previewTitle: 'Preview', previewEmpty: 'Press “Preview” to see the document before downloading', page: 'Page', of: 'of', prev: 'Previous page', next: 'Next page',
    working: 'Preparing the document…', downloaded: 'Downloaded', exampleLoaded: 'Example filled in', fixFields: 'Please correct these fields', options: 'Print options', emblem: 'Emblem file (PNG, JPEG, SVG)',
    archive: 'PDF/A (archive)', archiveHint: 'PDF/A-3b for archives, with the data typed embedded as a JSON file, so the receiving system reads the figures without retyping (PDF only)',
    sign: 'Digital signature', signHint: "Signed with the office's electronic certificate, which PDF readers verify (PDF only: a DOCX is not signed)",
    yes: 'yes', back: '← Back to the forms', unknownForm: 'No such form', networkError: 'Cannot reach the server',
    batchTitle: 'Batch: many documents from a file', batchSub: 'Drop a CSV or XLSX file: documents are made per group and bad rows are reported',
    noBatch: 'No form supports batch jobs yet', dropHere: 'Drop a CSV or XLSX file here, or press to choose one', chosen: 'Chosen file',
    columns: 'Recognised columns', column: 'Column', headers: 'Accepted headers', shared: 'Data shared by every document',
    groupBy: 'One document per', 'group.authority': 'local authority', 'group.province': 'province', 'group.none': 'none (a single document)',
    output: 'Output', 'output.zip': 'ZIP of separate files', 'output.pdf': 'one combined PDF', format: 'File format in the ZIP', sheet: 'Sheet name (XLSX with several sheets)',
    start: 'Start', noFile: 'Please choose a CSV or XLSX file', state: 'State', 'state.queued': 'queued', 'state.running': 'running', 'state.done': 'done', 'state.failed': 'failed',
    rows: 'rows', groups: 'groups', pages: 'pages', downloadResult: 'Download the result', badRows: 'Rows with problems', row: 'Row', problem: 'Problem', badRowMore: 'and', items: 'more', groupErrors: 'Groups left out (inconsistent figures)', group: 'Group',
    toolsTitle: 'Templates & mail merge', toolsSub: 'For an office’s IT staff: add a form of your own, or fill a Word file with data',
    tplTitle: 'Add a Handlebars template', tplId: 'Form id (a-z, 0-9, -)', tplTh: 'Thai title', tplEn: 'English title', tplFile: 'Template file (.hbs)', tplSchema: 'JSON Schema of the data (.json)', tplUpload: 'Upload the template', tplDone: 'Form added:',
    mergeTitle: 'Mail merge from a Word file (.docx)', mergeDocx: 'Word file with {{placeholders}}', mergeData: 'Data: JSON, or CSV/XLSX (one document per row)', mergeFormat: 'Output', mergeGo: 'Make the documents',
    docsLink: 'Template format guide',
    mapTitle: 'Match the columns', mapSub: 'Choose the file’s column for each piece of data. The best guess is filled in; check it. This browser remembers the choice for files with the same headers.', headerRow: 'Header row in the file: row', fileColumn: 'Column in the file', notUsed: '— not used —', mapMissing: 'Choose a column for each required field',
  },
};

let lang = localStorage.getItem('saraban.lang') === 'en' ? 'en' : 'th';
const t = (key) => TEXT[lang][key] ?? TEXT.th[key] ?? key;
/** A server message {th, en} in the interface language. */
const msg = (m) => (m ? (lang === 'en' ? m.en ?? m.th : m.th ?? m.en) : '');

/** Element builder: h('p', {class: 'x', onclick}, 'text', child). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

/** "ไทย / English" descriptions: the part for the interface language. */
/** Names for the common groups that the forms' schemas leave undescribed. */
const KEY_LABELS = {
  signer: 'ผู้ลงนาม / Signer', contact: 'ส่วนราชการเจ้าของเรื่องและการติดต่อ / Contact', round: 'รอบ / Round',
  certifiers: 'ผู้รับรอง / Certifiers', options: 'ตัวเลือกการพิมพ์ / Print options',
};
function labelOf(schema, key) {
  const d = schema?.description ?? schema?.title ?? KEY_LABELS[key];
  if (!d) return key;
  const [th, ...rest] = d.split(' / ');
  const en = rest.join(' / ');
  return lang === 'en' ? en || key : th;
}
function hintOf(schema) {
  const d = schema?.description;
  if (!d || !d.includes(' / ')) return '';
  const [th, ...rest] = d.split(' / ');
  return lang === 'en' ? th : rest.join(' / ');
}

/** The form the page shows: some forms have labels and widgets of their own (the evaluation form is laid out like its paper). */
let currentFormId = null;
const EVAL = 'esa-director-evaluation';
/** Names by path, where a form's schema speaks of keys (component1, part1) rather than of the paper's sections. */
const PATH_LABELS = {
  [EVAL]: {
    variant: { th: 'แบบประเมิน', en: 'Form' }, round: { th: 'รอบการประเมิน', en: 'Evaluation round' },
    fiscalYear: { th: 'ปีงบประมาณ (พ.ศ.)', en: 'Fiscal year (Buddhist era)' },
    evaluee: { th: 'ส่วนที่ 1 : ข้อมูลของผู้รับการประเมิน', en: 'Part 1: the director evaluated' },
    leave: { th: 'จำนวนวันลาในรอบการประเมิน', en: 'Leave in the round' },
    evaluator: { th: 'ผู้ประเมิน (ผู้บังคับบัญชา)', en: 'The evaluator (supervisor)' },
    selfCertification: { th: 'ส่วนที่ 3.1 การรับรองการประเมินตนเอง', en: 'Part 3.1: self-certification' },
    'selfCertification.date': { th: 'วันที่ผู้รับการประเมินลงนาม', en: 'Date the evaluee signs' },
    supervisorOpinion: { th: 'ส่วนที่ 3.2 ความเห็นของผู้บังคับบัญชา', en: 'Part 3.2: the supervisor’s opinion' },
    'supervisorOpinion.text': { th: 'ความเห็น (ย่อหน้าละช่อง)', en: 'Opinion (one paragraph per box)' },
    'supervisorOpinion.date': { th: 'วันที่ผู้บังคับบัญชาลงนาม', en: 'Date the supervisor signs' },
    acknowledgement: { th: 'ส่วนที่ 4 : การรับทราบผลการประเมิน', en: 'Part 4: acknowledgement of the result' },
  },
};
/** Dropdown values shown in words, by path. */
const ENUM_LABELS = {
  [EVAL]: {
    variant: {
      expert: { th: 'เอกสารหมายเลข 10/1: มีวิทยฐานะ ผอ.สพท.เชี่ยวชาญ', en: 'Form 10/1: holds the expert rank' },
      'not-expert': { th: 'เอกสารหมายเลข 10/2: ยังไม่มีวิทยฐานะ ผอ.สพท.เชี่ยวชาญ', en: 'Form 10/2: does not yet hold the expert rank' },
    },
    round: {
      1: { th: 'ครั้งที่ 1 (1 ตุลาคม - 31 มีนาคม)', en: 'Round 1 (1 October - 31 March)' },
      2: { th: 'ครั้งที่ 2 (1 เมษายน - 30 กันยายน)', en: 'Round 2 (1 April - 30 September)' },
    },
    'acknowledgement.status': {
      pending: { th: 'ยังไม่ได้แจ้งผล / ยังไม่รับทราบ', en: 'not yet acknowledged' },
      signed: { th: 'ลงนามรับทราบแล้ว', en: 'signed' },
      refused: { th: 'แจ้งผลแล้ว แต่ไม่ลงนามรับทราบ (มีพยาน)', en: 'informed, refused to sign (witnessed)' },
    },
  },
};
const labelAt = (path, s, key) => { const o = PATH_LABELS[currentFormId]?.[path]; return o ? msg(o) : labelOf(s, key); };
const enumText = (path, v) => { const o = ENUM_LABELS[currentFormId]?.[path]?.[String(v)]; return o ? msg(o) : String(v); };

let rootSchema = {};
function resolve(schema) {
  let s = schema ?? {};
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    s = { ...(rootSchema.$defs?.[name] ?? rootSchema.definitions?.[name] ?? {}), description: s.description ?? undefined };
  }
  const alt = s.anyOf ?? s.oneOf;
  // A choice of constants (1 | 2 | "1" | "2") is a list to pick from.
  if (alt && alt.every((b) => b.const !== undefined)) {
    const values = [];
    for (const b of alt) if (!values.some((v) => String(v) === String(b.const))) values.push(b.const);
    return { type: typeof values[0] === 'number' ? 'number' : 'string', enum: values, description: s.description, default: s.default };
  }
  if (alt) {
    const branch = alt.find((b) => b.type !== 'null') ?? alt[0];
    return { ...resolve(branch), description: s.description ?? branch.description, default: s.default ?? branch.default };
  }
  if (Array.isArray(s.type)) return { ...s, type: s.type.find((x) => x !== 'null') };
  return s;
}
/** A date field: format "date", an ISO pattern in its description, or named as a date (date, signedDate, "วันที่..."). */
const isDate = (s, key) => s.type === 'string' && !s.enum && (s.format === 'date' || /YYYY-MM-DD|ปปปป-ดด-วว|^วันที่/.test(s.description ?? '') || /^date$|Date$/.test(key ?? ''));

// ---- dates: shown as DD/MM/BE, sent as YYYY-MM-DD (the server reads a year of 2400+ as BE) ----
function dateToDisplay(iso) {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(String(iso ?? ''));
  if (!m) return iso ?? '';
  const y = Number(m[1]) < 2400 ? Number(m[1]) + 543 : Number(m[1]);
  return `${m[3].padStart(2, '0')}/${m[2].padStart(2, '0')}/${y}`;
}
function dateFromDisplay(text) {
  const v = text.trim().replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return v;
}

/**
 * A widget per schema node: {el, get(), set(value)}. get() answers undefined
 * for an empty optional field, so the server's own messages name what is missing.
 */
function widget(schemaIn, path, key, required) {
  const s = resolve(schemaIn);
  if (path === 'options.emblem') return emblemWidget(path);
  if (path === 'options.archive') return archiveWidget(path);
  if (path === 'options.sign') return signWidget(path);
  if (currentFormId === EVAL && EVAL_WIDGETS[path]) return EVAL_WIDGETS[path](path, required);
  if (s.type === 'object' && s.properties) return objectWidget(s, path, key, required);
  if (s.type === 'array') return arrayWidget(s, path, key, required);
  return scalarWidget(s, path, key, required);
}

function fieldShell(path, labelText, required, control, hint) {
  const id = control.id;
  return h('div', { class: 'field', dataset: { path } },
    h('label', { for: id }, labelText, required ? h('span', { class: 'req', title: t('required'), 'aria-hidden': 'true' }, '*') : null),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    control.wrapper ?? control);
}

function scalarWidget(s, path, key, required) {
  const id = nextId('f');
  const hint = hintOf(s);
  const common = { id, name: path, 'aria-required': required ? 'true' : undefined, 'aria-describedby': hint ? `${id}-hint` : undefined };
  if (s.enum) {
    const select = h('select', common,
      !required || s.default === undefined ? h('option', { value: '' }, '—') : null,
      s.enum.map((v) => h('option', { value: String(v) }, enumText(path, v))));
    if (s.default !== undefined) select.value = String(s.default);
    return { el: fieldShell(path, labelAt(path, s, key), required, select, hint), get: () => (select.value === '' ? undefined : s.enum.find((v) => String(v) === select.value)), set: (v) => { select.value = v === undefined ? (s.default !== undefined ? String(s.default) : '') : String(v); } };
  }
  if (s.type === 'boolean') {
    const box = h('input', { ...common, type: 'checkbox' });
    if (s.default === true) box.checked = true;
    const el = h('div', { class: 'field', dataset: { path } }, h('label', {}, box, ' ', labelAt(path, s, key)));
    return { el, get: () => (box.checked ? true : required ? false : undefined), set: (v) => { box.checked = v === true; } };
  }
  if (isDate(s, key)) {
    const text = h('input', { ...common, type: 'text', inputmode: 'numeric', placeholder: '17/02/2565', autocomplete: 'off', 'aria-describedby': `${id}-hint` });
    // The browser's own calendar, opened by a button: the typed field stays the one place the date is written (in BE).
    const picker = h('input', { type: 'date', class: 'picker', tabindex: '-1', 'aria-hidden': 'true' });
    picker.addEventListener('change', () => { if (picker.value) text.value = dateToDisplay(picker.value); text.focus(); });
    const open = h('button', { type: 'button', class: 'calendar', 'aria-label': t('datePick'), title: t('datePick'), onclick: () => {
      const iso = dateFromDisplay(text.value);
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
      picker.value = m ? `${Number(m[1]) >= 2400 ? Number(m[1]) - 543 : m[1]}-${m[2]}-${m[3]}` : '';
      try { picker.showPicker(); } catch { picker.click(); }
    } }, t('calendar'));
    const control = h('div', { class: 'date' }, text, open, picker);
    const el = h('div', { class: 'field', dataset: { path } },
      h('label', { for: id }, labelAt(path, s, key).replace(/\s*\(ปปปป-ดด-วว\)|,?\s*YYYY-MM-DD/, ''), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
      h('p', { class: 'hint', id: `${id}-hint` }, t('dateHint')), control);
    return { el, get: () => (text.value.trim() ? dateFromDisplay(text.value) : undefined), set: (v) => { text.value = v ? dateToDisplay(v) : ''; } };
  }
  const numeric = s.type === 'number' || s.type === 'integer';
  const long = !numeric && (s.maxLength ?? 0) >= 1000;
  const input = long ? h('textarea', { ...common, rows: 3 }) : h('input', { ...common, type: 'text', inputmode: numeric ? 'decimal' : undefined, autocomplete: 'off' });
  if (s.default !== undefined) input.value = String(s.default);
  const get = () => {
    const v = input.value.trim();
    if (!v) return undefined;
    // Numbers are sent as numbers when they are plain decimals; anything else goes as typed so the server names the problem.
    // Thai digits (๒๕๖๕) are digits: sent as the number they write.
    const plain = v.replace(/,/g, '').replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
    if (numeric && /^-?\d+(\.\d+)?$/.test(plain)) return Number(plain);
    return v;
  };
  return { el: fieldShell(path, labelAt(path, s, key), required, input, hint), get, set: (v) => { input.value = v === undefined || v === null ? (s.default !== undefined ? String(s.default) : '') : String(v); } };
}

function emblemWidget(path) {
  const id = nextId('f');
  const input = h('input', { id, type: 'file', accept: 'image/png,image/jpeg,image/svg+xml,.png,.jpg,.jpeg,.svg' });
  let data;
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) { data = undefined; return; }
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    data = btoa(bin);
  });
  return { el: fieldShell(`${path}.data`, t('emblem'), false, input), get: () => (data ? { data } : undefined), set: () => { input.value = ''; data = undefined; } };
}

/** A box ticked for PDF/A: sent only when it differs from the service's default, so the default stays the service's. */
function archiveWidget(path) {
  const id = nextId('f');
  const byDefault = pdfOptions.archive === 'pdf/a-3b';
  const box = h('input', { id, type: 'checkbox', name: path, 'aria-describedby': `${id}-hint` });
  box.checked = byDefault;
  const el = h('div', { class: 'field', dataset: { path } }, h('label', {}, box, ' ', t('archive')), h('p', { class: 'hint', id: `${id}-hint` }, t('archiveHint')));
  return { el, get: () => (box.checked === byDefault ? undefined : box.checked ? 'pdf/a-3b' : 'none'), set: (v) => { box.checked = v === undefined ? byDefault : v === 'pdf/a-3b'; } };
}

/** "ลงนามดิจิทัล": offered only when the service has a certificate (a request to sign would be refused otherwise). */
function signWidget(path) {
  if (!pdfOptions.sign) return { el: h('div', { hidden: true }), get: () => undefined, set: () => {} };
  const id = nextId('f');
  const box = h('input', { id, type: 'checkbox', name: path, 'aria-describedby': `${id}-hint` });
  const el = h('div', { class: 'field', dataset: { path } }, h('label', {}, box, ' ', t('sign')), h('p', { class: 'hint', id: `${id}-hint` }, t('signHint')));
  return { el, get: () => (box.checked ? true : undefined), set: (v) => { box.checked = v === true; } };
}

/** Nothing typed: no value, or lists and groups holding nothing. */
const isBlank = (v) => v === undefined || (Array.isArray(v) ? v.every(isBlank) : typeof v === 'object' && v !== null ? Object.values(v).every(isBlank) : false);

function objectWidget(s, path, key, required) {
  const req = new Set(s.required ?? []);
  const children = Object.entries(s.properties).map(([k, sub]) => [k, widget(sub, path ? `${path}.${k}` : k, k, req.has(k))]);
  const body = children.map(([, w]) => w.el);
  let el;
  if (!path) el = h('div', { class: 'fields' }, body);
  else if (path === 'options') el = h('details', { class: 'field', dataset: { path } }, h('summary', {}, t('options')), body);
  else el = h('fieldset', { class: 'field', dataset: { path } }, h('legend', {}, labelAt(path, s, key), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null), body);
  return {
    el,
    get: () => {
      const out = {};
      let entered = false;
      for (const [k, w] of children) {
        const v = w.get();
        if (v === undefined) continue;
        out[k] = v;
        // Defaults and empty lists are not something the clerk typed: an optional group left so is left out.
        const sub = resolve(s.properties[k]);
        if (!isBlank(v) && v !== sub.default) entered = true;
      }
      return entered || required ? out : undefined;
    },
    set: (v) => { for (const [k, w] of children) w.set(v?.[k]); },
  };
}

/** Repeatable rows (references, paragraphs, evaluation items): add, remove, renumbered on every change. */
function arrayWidget(s, path, key, required) {
  const itemSchema = s.items ?? { type: 'string' };
  const list = h('div', { class: 'items' });
  let items = [];
  const min = s.minItems ?? 0;
  const addButton = h('button', { type: 'button', class: 'small' }, `+ ${t('add')}`);
  const el = h('fieldset', { class: 'field', dataset: { path } },
    h('legend', {}, labelAt(path, s, key), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    hintOf(s) ? h('p', { class: 'hint' }, hintOf(s)) : null, list, addButton);
  const render = (values) => {
    list.replaceChildren();
    items = values.map((value, i) => {
      // Named after its list and number ("ตำแหน่ง 2"), for screen readers and the error summary.
      const d = (resolve(s).description ?? key).split(' / ');
      const named = { ...resolve(itemSchema), description: `${d[0]} ${i + 1} / ${d[1] ?? d[0]} ${i + 1}` };
      const w = widget(named, `${path}[${i}]`, `${i + 1}`, true);
      w.set(value);
      // The item's own label is its number, shown beside it.
      w.el.querySelectorAll(':scope > label, :scope > .hint').forEach((e) => e.classList.add('visually-hidden'));
      const remove = h('button', { type: 'button', class: 'small remove', 'aria-label': `${t('removeItem')} ${i + 1}`, onclick: () => { const vals = current(); vals.splice(i, 1); render(vals); } }, t('remove'));
      list.append(h('div', { class: 'item' }, h('span', { class: 'num', 'aria-hidden': 'true' }, `${i + 1}.`), w.el, remove));
      return w;
    });
  };
  const current = () => items.map((w) => w.get());
  addButton.addEventListener('click', () => {
    render([...current(), undefined]);
    list.lastElementChild?.querySelector('input, textarea, select')?.focus();
  });
  render(Array.from({ length: Math.max(min, required ? 1 : 0) }, () => undefined));
  return {
    el,
    get: () => {
      const vals = current().filter((v) => v !== undefined);
      return vals.length || required ? vals : undefined;
    },
    set: (v) => render(Array.isArray(v) ? v : Array.from({ length: Math.max(min, required ? 1 : 0) }, () => undefined)),
  };
}

// ---- the evaluation form (esa-director-evaluation), laid out like its paper ----
/** Its item texts (src/forms/esa-director-evaluation/items.json), loaded with the page. */
let evalItems = null;
const EVAL_TEXT = {
  th: {
    c1: 'องค์ประกอบที่ 1 การประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานตามมาตรฐานตำแหน่ง (80 คะแนน)',
    p1: 'ตอนที่ 1 : ระดับความสำเร็จในการพัฒนางานตามมาตรฐานตำแหน่ง (60 คะแนน)',
    p2: 'ตอนที่ 2 : ระดับความสำเร็จในการพัฒนางานที่เสนอเป็นประเด็นท้าทาย (20 คะแนน)',
    c2: 'องค์ประกอบที่ 2 การประเมินการมีส่วนร่วมในการพัฒนาการศึกษา (10 คะแนน)',
    c3: 'องค์ประกอบที่ 3 การประเมินการปฏิบัติตนในการรักษาวินัย คุณธรรม จริยธรรม และจรรยาบรรณวิชาชีพ (10 คะแนน)',
    no: 'ข้อ', item: 'รายการประเมิน', self: 'ประเมินตนเอง', supervisor: 'ผู้บังคับบัญชา',
    levelHint4: 'เลือกระดับ 1-4 ในแต่ละช่อง (4 = ดีที่สุด)', levelHint5: 'ใส่ร้อยละของงานที่ได้รับมอบหมายแล้วเสร็จ หรือเลือกระดับ 1-5: ระดับ 1 ไม่เกินร้อยละ 19.99, 2 ร้อยละ 20-39.99, 3 ร้อยละ 40-59.99, 4 ร้อยละ 60-79.99, 5 ร้อยละ 80 ขึ้นไป',
    percent: 'ร้อยละของงานที่แล้วเสร็จ', level: 'ระดับ (1-5)', status: 'การรับทราบ',
    scores: 'คะแนน (คำนวณโดยระบบ)', full: 'คะแนนเต็ม', total: 'รวม', band: 'ระดับผลการประเมิน', result: 'ผลการประเมิน (ตามคะแนนของผู้บังคับบัญชา)',
    incomplete: 'เลือกระดับให้ครบเพื่อดูคะแนน ยังขาด', cells: 'ช่อง', computing: 'กำลังคำนวณ…',
  },
  en: {
    c1: 'Component 1: efficiency and effectiveness against the position standard (80 points)',
    p1: 'Part 1: success in developing work to the position standard (60 points)',
    p2: 'Part 2: success in the challenge issue (20 points)',
    c2: 'Component 2: participation in developing education (10 points)',
    c3: 'Component 3: discipline, morality, ethics and professional conduct (10 points)',
    no: 'No.', item: 'Item', self: 'Self', supervisor: 'Supervisor',
    levelHint4: 'Choose a level 1-4 in each column (4 = best)', levelHint5: 'Give the percentage of assigned work completed, or choose the level 1-5: 1 up to 19.99 %, 2 20-39.99 %, 3 40-59.99 %, 4 60-79.99 %, 5 80 % or more',
    percent: 'Percent of work completed', level: 'Level (1-5)', status: 'Acknowledgement',
    scores: 'Scores (computed by the server)', full: 'Full marks', total: 'Total', band: 'Band', result: 'Result (the supervisor’s scores)',
    incomplete: 'Choose every level to see the scores; still missing:', cells: 'cells', computing: 'Computing…',
  },
};
const et = (key) => EVAL_TEXT[lang][key] ?? EVAL_TEXT.th[key];

/** A level dropdown in its own field (so the server's message for that cell lands beside it). */
function levelCell(path, max, label) {
  const select = h('select', { id: nextId('f'), name: path, class: 'level', 'aria-label': label },
    h('option', { value: '' }, '–'), Array.from({ length: max }, (_, i) => h('option', { value: String(i + 1) }, String(i + 1))));
  const cell = h('td', { class: 'field level-cell', dataset: { path } }, select);
  return { cell, get: () => (select.value ? Number(select.value) : undefined), set: (v) => { select.value = v === undefined || v === null ? '' : String(v); } };
}

/** One row of the paper: number, item text, the self level and the supervisor level side by side. */
function pairRow(path, no, text, max = 4, named = no) {
  const name = `${named ? `${et('no')} ${named} ` : ''}`;
  const self = levelCell(`${path}.self`, max, `${name}${et('self')}`);
  const sup = levelCell(`${path}.supervisor`, max, `${name}${et('supervisor')}`);
  const tr = h('tr', { dataset: { path } }, h('td', { class: 'no' }, no), h('td', { class: 'text' }, text), self.cell, sup.cell);
  return {
    tr,
    get: () => { const o = {}; const a = self.get(); const b = sup.get(); if (a !== undefined) o.self = a; if (b !== undefined) o.supervisor = b; return o; },
    set: (v) => { self.set(v?.self); sup.set(v?.supervisor); },
  };
}

const evalTable = (caption, rows) => h('table', { class: 'plain eval' },
  h('caption', {}, caption),
  h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'no' }, et('no')), h('th', { scope: 'col' }, et('item')), h('th', { scope: 'col', class: 'lv' }, et('self')), h('th', { scope: 'col', class: 'lv' }, et('supervisor')))),
  rows instanceof HTMLTableSectionElement ? rows : h('tbody', {}, rows));
const groupRow = (text) => h('tr', { class: 'group' }, h('td', { colspan: '4' }, text));

function evalComponent1(path) {
  const defaults = evalItems?.component1Part1 ?? { areas: [], items: [] };
  const body = h('tbody');
  const part1 = evalTable(et('p1'), body);
  let rows = [];
  let kept = {};
  // The default list, or the office's own (items with their own text, areas of their own): both kept as given.
  const render = (part1Value) => {
    const items = part1Value?.items?.length ? part1Value.items : defaults.items.map(() => ({}));
    const areas = part1Value?.areas ?? defaults.areas;
    kept = part1Value?.areas ? { areas: part1Value.areas } : {};
    body.replaceChildren();
    let area = null;
    rows = items.map((it, i) => {
      const no = it.no ?? defaults.items[i]?.no ?? String(i + 1);
      const text = it.text ?? defaults.items[i]?.text ?? '';
      const a = areas.find((x) => no.startsWith(`${x.no}.`));
      if (a && a !== area) { area = a; body.append(groupRow(`${a.no}. ${a.text}`)); }
      const row = pairRow(`${path}.part1.items[${i}]`, no, text);
      row.set(it);
      body.append(row.tr);
      return { row, own: { ...(it.no !== undefined ? { no: it.no } : {}), ...(it.text !== undefined ? { text: it.text } : {}) } };
    });
  };
  render(undefined);
  const p2t = evalItems?.component1Part2 ?? {};
  // The paper's texts carry their numbers (1., 2.1, 2.2): the number column is left empty; the dropdowns are still named by it.
  const method = pairRow(`${path}.part2.method`, '', p2t.method ?? '', 4, '1');
  const quantitative = pairRow(`${path}.part2.quantitative`, '', p2t.quantitative ?? '', 4, '2.1');
  const qualitative = pairRow(`${path}.part2.qualitative`, '', p2t.qualitative ?? '', 4, '2.2');
  const part2 = evalTable(et('p2'), [method.tr, groupRow(p2t.results ?? ''), quantitative.tr, qualitative.tr]);
  const el = h('fieldset', { class: 'field eval-section', dataset: { path } }, h('legend', {}, et('c1')), h('p', { class: 'hint' }, et('levelHint4')), part1, part2);
  return {
    el,
    get: () => ({
      part1: { ...kept, items: rows.map(({ row, own }) => ({ ...own, ...row.get() })) },
      part2: { method: method.get(), quantitative: quantitative.get(), qualitative: qualitative.get() },
    }),
    set: (v) => { render(v?.part1); method.set(v?.part2?.method); quantitative.set(v?.part2?.quantitative); qualitative.set(v?.part2?.qualitative); },
  };
}

function evalComponent2(path) {
  const column = (side) => {
    const id = nextId('f');
    const percent = h('input', { type: 'text', id, name: `${path}.${side}.percent`, inputmode: 'decimal', autocomplete: 'off', 'aria-label': `${et('percent')} ${et(side)}` });
    const level = levelCell(`${path}.${side}.level`, 5, `${et('level')} ${et(side)}`);
    return {
      percentCell: h('td', { class: 'field', dataset: { path: `${path}.${side}.percent` } }, percent), level,
      get: () => { const o = {}; const p = percent.value.trim(); if (p) o.percent = p; const l = level.get(); if (l !== undefined) o.level = l; return o; },
      set: (v) => { percent.value = v?.percent ?? ''; level.set(v?.level); },
    };
  };
  const self = column('self');
  const sup = column('supervisor');
  const table = h('table', { class: 'plain eval' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, et('item')), h('th', { scope: 'col', class: 'lv' }, et('self')), h('th', { scope: 'col', class: 'lv' }, et('supervisor')))),
    h('tbody', {},
      h('tr', {}, h('td', { class: 'text' }, et('percent')), self.percentCell, sup.percentCell),
      h('tr', {}, h('td', { class: 'text' }, et('level')), self.level.cell, sup.level.cell)));
  const el = h('fieldset', { class: 'field eval-section', dataset: { path } }, h('legend', {}, et('c2')), h('p', { class: 'hint' }, et('levelHint5')), table);
  return { el, get: () => ({ self: self.get(), supervisor: sup.get() }), set: (v) => { self.set(v?.self); sup.set(v?.supervisor); } };
}

function evalComponent3(path) {
  const texts = evalItems?.component3?.items ?? Array.from({ length: 10 }, () => '');
  const rows = texts.map((text, i) => pairRow(`${path}.items[${i}]`, String(i + 1), text));
  const el = h('fieldset', { class: 'field eval-section', dataset: { path } }, h('legend', {}, et('c3')), h('p', { class: 'hint' }, et('levelHint4')), evalTable(et('c3'), rows.map((r) => r.tr)));
  el.querySelector('caption').classList.add('visually-hidden');
  return { el, get: () => ({ items: rows.map((r) => r.get()) }), set: (v) => rows.forEach((r, i) => r.set(v?.items?.[i])) };
}

/** Part 4: the status in words; the dates and the witness shown for the status that has them. */
function evalAcknowledgement(path) {
  const branches = rootSchema.properties?.acknowledgement?.oneOf ?? [];
  const refused = branches.find((b) => b.properties?.status?.const === 'refused')?.properties ?? {};
  const id = nextId('f');
  const status = h('select', { id, name: `${path}.status` }, h('option', { value: '' }, '—'),
    ['pending', 'signed', 'refused'].map((v) => h('option', { value: v }, enumText(`${path}.status`, v))));
  const informedOn = widget(refused.informedOn ?? { type: 'string', format: 'date' }, `${path}.informedOn`, 'informedOnDate', true);
  const date = widget({ type: 'string', format: 'date', description: 'วันที่ลงนาม / date signed' }, `${path}.date`, 'date', false);
  const witness = widget(refused.witness ?? { type: 'object', properties: {} }, `${path}.witness`, 'witness', true);
  const show = () => { date.el.hidden = !['signed', 'refused'].includes(status.value); informedOn.el.hidden = witness.el.hidden = status.value !== 'refused'; };
  status.addEventListener('change', show);
  show();
  const el = h('fieldset', { class: 'field', dataset: { path } }, h('legend', {}, labelAt(path, {}, 'acknowledgement')),
    h('div', { class: 'field', dataset: { path: `${path}.status` } }, h('label', { for: id }, et('status')), status), informedOn.el, date.el, witness.el);
  return {
    el,
    get: () => {
      if (!status.value) return undefined;
      const o = { status: status.value };
      if (status.value !== 'pending' && date.get() !== undefined) o.date = date.get();
      if (status.value === 'refused') { o.informedOn = informedOn.get(); o.witness = witness.get(); }
      return o;
    },
    set: (v) => { status.value = v?.status ?? ''; date.set(v?.date); informedOn.set(v?.informedOn); witness.set(v?.witness); show(); },
  };
}

const EVAL_WIDGETS = { component1: evalComponent1, component2: evalComponent2, component3: evalComponent3, acknowledgement: evalAcknowledgement };

/**
 * The live scores: the page's data sent to the compute endpoint (debounced), its answer shown.
 * Fields that do not count (names, signatures) are filled in with placeholders for the call only,
 * so the scores show as soon as the levels are chosen. No arithmetic here.
 */
function evalScores(data) {
  const rowsDef = [
    ['c1p1', (c) => c.component1.part1.score, '60'], ['c1p2', (c) => c.component1.part2.score, '20'], ['c1', (c) => c.component1.score, '80'],
    ['c2', (c) => c.component2.score, '10'], ['c3', (c) => c.component3.score, '10'], ['total', (c) => c.total, '100'], ['band', (c) => c.band.th, ''],
  ];
  const names = { c1p1: `${lang === 'en' ? 'C1 part 1' : 'องค์ประกอบที่ 1 ตอนที่ 1'}`, c1p2: `${lang === 'en' ? 'C1 part 2' : 'องค์ประกอบที่ 1 ตอนที่ 2'}`, c1: lang === 'en' ? 'Component 1' : 'องค์ประกอบที่ 1', c2: lang === 'en' ? 'Component 2' : 'องค์ประกอบที่ 2', c3: lang === 'en' ? 'Component 3' : 'องค์ประกอบที่ 3', total: et('total'), band: et('band') };
  const cells = {};
  const table = h('table', { class: 'plain scores-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, et('full')), h('th', { scope: 'col' }, et('self')), h('th', { scope: 'col' }, et('supervisor')))),
    h('tbody', {}, rowsDef.map(([k, , full]) => {
      cells[k] = [h('td', { dataset: { score: `self.${k}` } }, '–'), h('td', { dataset: { score: `supervisor.${k}` } }, '–')];
      return h('tr', {}, h('th', { scope: 'row' }, names[k]), h('td', {}, full), ...cells[k]);
    })));
  const note = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const result = h('p', { class: 'result', dataset: { score: 'band' } });
  const el = h('section', { class: 'panel scores', 'aria-label': et('scores') }, h('h2', { style: 'margin-top:0' }, et('scores')), table, result, note);
  let timer;
  let seq = 0;
  async function update() {
    const mine = ++seq;
    const d = data();
    const body = { variant: 'expert', round: 1, fiscalYear: 2565, ...d,
      evaluee: { name: '-', position: '-', salary: '0', unit: '-', ...d.evaluee }, evaluator: { name: '-', position: '-', ...d.evaluator } };
    for (const k of ['acknowledgement', 'selfCertification', 'supervisorOpinion', 'options']) delete body[k];
    note.textContent = et('computing');
    let res;
    try { res = await fetch(`/api/v1/forms/${EVAL}/compute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }); } catch { if (mine === seq) note.textContent = t('networkError'); return; }
    if (mine !== seq) return;
    if (!res.ok) {
      const error = await errorOf(res);
      if (mine !== seq) return;
      for (const [a, b] of Object.values(cells)) { a.textContent = '–'; b.textContent = '–'; }
      result.textContent = '';
      const levels = (error.fields ?? []).filter((f) => /^component[123]\./.test(f.path));
      note.textContent = levels.length && levels.length === (error.fields ?? []).length ? `${et('incomplete')} ${levels.length} ${et('cells')}` : (error.fields ?? []).map((f) => `${f.path}: ${msg(f)}`).join(' · ') || msg(error);
      return;
    }
    const { computed } = await res.json();
    if (mine !== seq) return;
    for (const [k, pick] of rowsDef) { cells[k][0].textContent = pick(computed.self); cells[k][1].textContent = pick(computed.supervisor); }
    result.textContent = `${et('result')}: ${computed.band.th}`;
    note.textContent = '';
  }
  return { el, schedule: () => { clearTimeout(timer); timer = setTimeout(update, 350); }, update };
}

// ---- errors next to their fields ----
function clearErrors(root) {
  root.querySelectorAll('.error, .summary').forEach((e) => e.remove());
  root.querySelectorAll('[aria-invalid]').forEach((e) => { e.removeAttribute('aria-invalid'); });
}

/** The field element for a server path, or its nearest ancestor that has one ("body[2]" -> "body"). */
function fieldFor(root, path) {
  let p = path;
  while (p) {
    const el = root.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

function showErrors(root, error, pathPrefix = '') {
  clearErrors(root);
  const summary = h('div', { class: 'summary', role: 'alert', tabindex: '-1' }, h('strong', {}, msg(error)));
  const list = h('ul');
  let first = null;
  for (const f of error.fields ?? []) {
    const path = pathPrefix && f.path.startsWith(pathPrefix) ? f.path.slice(pathPrefix.length) : f.path;
    const field = fieldFor(root, path);
    // The API speaks of ISO dates; the clerk typed 17/02/2565: answer in the clerk's format.
    const text = field?.querySelector('.date') && /^invalid date/i.test(f.en ?? '') ? t('dateInvalid') : msg(f);
    if (field) {
      const control = field.querySelector('input, select, textarea');
      const errId = nextId('err');
      const p = h('p', { class: 'error', id: errId }, text);
      const host = field.matches('fieldset, details') ? field : field;
      if (field.matches('fieldset, details')) host.insertBefore(p, host.children[1] ?? null); else host.append(p);
      if (control && !field.matches('fieldset, details')) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), errId].filter(Boolean).join(' '));
      }
      first ??= control ?? field;
      // Said once: a field's message that is the heading's own is not listed again under it.
      if (text !== msg(error)) list.append(h('li', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); (control ?? field).focus(); } }, `${labelFromField(field) || path}: ${text}`)));
    } else {
      list.append(h('li', {}, `${path}: ${text}`));
    }
  }
  if (list.children.length) summary.append(h('p', {}, t('fixFields')), list);
  root.prepend(summary);
  (first ?? summary).focus();
}
const labelFromField = (field) => field.querySelector(':scope > label, :scope > legend, :scope > summary')?.textContent?.replace(/\*$/, '').trim();

async function errorOf(res) {
  try { const body = await res.json(); if (body?.error) return body.error; } catch { /* not JSON */ }
  return { th: `เกิดข้อผิดพลาด (${res.status})`, en: `error (${res.status})` };
}

function fileNameOf(res, fallback) {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  return /filename="([^"]+)"/.exec(cd)?.[1] ?? fallback;
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 60_000);
}

// ---- drafts: what a clerk typed, kept in this browser until downloaded or cleared ----
const draftKey = (kind, id) => `saraban.draft.${kind}.${id}`;
function loadDraft(kind, id) {
  try { return JSON.parse(localStorage.getItem(draftKey(kind, id)) ?? 'null') ?? undefined; } catch { return undefined; }
}
function saveDraft(kind, id, value) {
  try {
    if (value === undefined || isBlank(value)) localStorage.removeItem(draftKey(kind, id));
    else localStorage.setItem(draftKey(kind, id), JSON.stringify(value));
  } catch { /* storage full or disabled: the page still works, without a draft */ }
}
const dropDraft = (kind, id) => { try { localStorage.removeItem(draftKey(kind, id)); } catch { /* disabled */ } };
/** Saves the page's draft now (before the language changes or the page is left). */
let flushDraft = () => {};
/** Saves on every edit; adding or removing a row is a click, saved once the row is there. */
function keepDraft(formEl, save) {
  formEl.addEventListener('input', save);
  formEl.addEventListener('change', save);
  formEl.addEventListener('click', () => setTimeout(save, 0));
  flushDraft = save;
}

// ---- pages ----
let formsCache;
/** What the service offers for a PDF (GET /api/v1/pdf-options): its archive default, and whether it can sign. */
let pdfOptions = { archive: 'none', sign: false };
async function loadForms() {
  if (!formsCache) {
    const [res] = await Promise.all([
      fetch('/api/v1/forms'),
      // Without the answer the page offers no signing: nothing is lost but the option.
      fetch('/api/v1/pdf-options').then((r) => (r.ok ? r.json() : pdfOptions)).then((o) => { pdfOptions = o; }).catch(() => {}),
    ]);
    formsCache = (await res.json()).forms;
  }
  return formsCache;
}

const main = () => document.getElementById('main');
const titleOf = (f) => (lang === 'en' ? f.title.en : f.title.th);

async function homePage() {
  const forms = await loadForms();
  document.title = `${t('nav.forms')} – สารบรรณ Saraban`;
  main().replaceChildren(
    h('h1', {}, t('formsTitle')), h('p', { class: 'sub' }, t('formsSub')),
    h('ul', { class: 'cards' }, forms.map((f) => h('li', { class: 'card' },
      h('h2', {}, h('span', { lang: 'th' }, f.title.th)),
      h('span', { lang: 'en' }, f.title.en), h('code', {}, f.id),
      h('div', { class: 'links' },
        h('a', { href: `#/form/${encodeURIComponent(f.id)}`, class: 'button primary' }, t('fill')),
        f.batch ? h('a', { href: `#/batch/${encodeURIComponent(f.id)}`, class: 'button' }, t('batch')) : null)))));
}

async function formPage(id) {
  const forms = await loadForms();
  const form = forms.find((f) => f.id === id);
  if (!form) { main().replaceChildren(h('h1', {}, t('unknownForm')), h('a', { href: '#/' }, t('back'))); return; }
  document.title = `${titleOf(form)} – สารบรรณ Saraban`;
  rootSchema = form.schema;
  currentFormId = id;
  if (id === EVAL && !evalItems) evalItems = await fetch(`/forms/${EVAL}/items.json`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  const root = widget(form.schema, '', id, true);
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const formEl = h('form', { class: 'doc', novalidate: true, 'aria-label': titleOf(form), onsubmit: (e) => { e.preventDefault(); preview(1); } },
    h('p', { class: 'hint' }, t('requiredNote')), root.el);
  const img = h('img', { alt: '' });
  const pageInfo = h('span', {});
  const prevBtn = h('button', { type: 'button', class: 'small', 'aria-label': t('prev'), onclick: () => preview(previewPage - 1) }, '‹');
  const nextBtn = h('button', { type: 'button', class: 'small', 'aria-label': t('next'), onclick: () => preview(previewPage + 1) }, '›');
  const pager = h('div', { class: 'pager', hidden: true }, prevBtn, pageInfo, nextBtn);
  const empty = h('p', { class: 'empty' }, t('previewEmpty'));
  const previewBox = h('section', { class: 'preview panel', 'aria-label': t('previewTitle') }, h('h2', { style: 'margin-top:0' }, t('previewTitle')), pager, empty);
  let previewPage = 1;
  let previewUrl;

  const data = () => root.get() ?? {};
  // A page as it opens (defaults only) is no draft: nothing is kept until the clerk changes something.
  const pristine = JSON.stringify(root.get());
  const save = () => { const v = root.get(); if (JSON.stringify(v) === pristine) dropDraft('form', id); else saveDraft('form', id, v); };
  const draft = loadDraft('form', id);
  if (draft) { root.set(draft); status.textContent = t('draftRestored'); }
  const scores = id === EVAL ? evalScores(data) : null;
  keepDraft(formEl, () => { save(); scores?.schedule(); });
  if (scores) { previewBox.prepend(scores.el); if (draft) scores.update(); }
  const busy = (on) => { for (const b of formEl.querySelectorAll('.actions button')) b.disabled = on; status.textContent = on ? t('working') : ''; };

  async function preview(page) {
    busy(true);
    let failed = false;
    try {
      const res = await fetch(`/api/v1/preview/${encodeURIComponent(id)}?page=${page}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data()) });
      if (!res.ok) { showErrors(formEl, await errorOf(res)); return; }
      clearErrors(formEl);
      const pages = Number(res.headers.get('x-page-count') ?? 1);
      previewPage = Number(res.headers.get('x-page') ?? page);
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = URL.createObjectURL(await res.blob());
      img.src = previewUrl;
      img.alt = `${t('previewTitle')} ${t('page')} ${previewPage} ${t('of')} ${pages}`;
      pageInfo.textContent = `${t('page')} ${previewPage} ${t('of')} ${pages}`;
      prevBtn.disabled = previewPage <= 1;
      nextBtn.disabled = previewPage >= pages;
      pager.hidden = false;
      empty.replaceWith(img);
    } catch { failed = true; } finally { busy(false); if (failed) status.textContent = t('networkError'); }
  }

  async function download(format) {
    busy(true);
    let done = '';
    try {
      const res = await fetch(`/api/v1/render/${encodeURIComponent(id)}?format=${format}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data()) });
      if (!res.ok) { showErrors(formEl, await errorOf(res)); return; }
      clearErrors(formEl);
      saveBlob(await res.blob(), fileNameOf(res, `${id}.${format}`));
      // Downloaded: the draft has done its work (what stays on screen is saved again if edited).
      dropDraft('form', id);
      done = `${t('downloaded')}: ${format.toUpperCase()}`;
    } catch { done = t('networkError'); } finally { busy(false); status.textContent = done; }
  }

  const exampleSelect = h('select', { 'aria-label': t('example') });
  // Busy while the example loads: typing into the form meanwhile would be overwritten when it arrives.
  const exampleBox = h('span', { hidden: true }, exampleSelect, ' ', h('button', { type: 'button', onclick: async () => {
    busy(true);
    let done = '';
    try {
      const res = await fetch(`/api/v1/examples/${encodeURIComponent(id)}/${encodeURIComponent(exampleSelect.value)}`);
      if (res.ok) { root.set(await res.json()); clearErrors(formEl); save(); scores?.update(); done = t('exampleLoaded'); } else done = msg(await errorOf(res));
    } catch { done = t('networkError'); } finally { busy(false); status.textContent = done; }
  } }, t('loadExample')));
  fetch(`/api/v1/examples/${encodeURIComponent(id)}`).then((r) => r.json()).then(({ examples }) => {
    if (!examples?.length) return;
    exampleSelect.replaceChildren(...examples.map((n) => h('option', { value: n }, n)));
    exampleBox.hidden = false;
  }).catch(() => {});

  formEl.append(h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, t('preview')),
    h('button', { type: 'button', onclick: () => download('pdf') }, t('pdf')),
    h('button', { type: 'button', onclick: () => download('docx') }, t('docx')),
    exampleBox,
    h('button', { type: 'button', class: 'remove', onclick: () => {
      if (!confirm(t('clearConfirm'))) return;
      root.set(undefined); clearErrors(formEl); dropDraft('form', id); scores?.schedule(); status.textContent = t('cleared');
    } }, t('clear')),
    status));
  main().replaceChildren(h('p', {}, h('a', { href: '#/' }, t('back'))), h('h1', {}, titleOf(form)),
    h('p', { class: 'sub' }, lang === 'en' ? form.title.th : form.title.en, ' · ', h('code', {}, form.id)),
    h('div', { class: 'layout' }, formEl, previewBox));
}

async function batchListPage() {
  const forms = (await loadForms()).filter((f) => f.batch);
  document.title = `${t('nav.batch')} – สารบรรณ Saraban`;
  main().replaceChildren(h('h1', {}, t('batchTitle')), h('p', { class: 'sub' }, t('batchSub')),
    forms.length ? h('ul', { class: 'cards' }, forms.map((f) => h('li', { class: 'card' }, h('h2', {}, f.title.th), h('span', {}, f.title.en), h('code', {}, f.id),
      h('div', { class: 'links' }, h('a', { href: `#/batch/${encodeURIComponent(f.id)}`, class: 'button primary' }, t('batch'))))))
      : h('p', { class: 'notice' }, t('noBatch')));
}

async function batchPage(id) {
  const forms = await loadForms();
  const form = forms.find((f) => f.id === id && f.batch);
  if (!form) { main().replaceChildren(h('h1', {}, t('unknownForm')), h('a', { href: '#/batch' }, t('back'))); return; }
  document.title = `${t('nav.batch')}: ${titleOf(form)} – สารบรรณ Saraban`;
  rootSchema = form.batch.shared ?? {};
  currentFormId = null;
  const shared = widget(form.batch.shared ?? { type: 'object', properties: {} }, '', 'shared', true);
  const fileInput = h('input', { type: 'file', id: 'batch-file', name: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const chosen = h('span', { class: 'chosen', 'aria-live': 'polite' });
  let file;
  const setFile = (f) => { file = f; chosen.textContent = f ? `${t('chosen')}: ${f.name} (${Math.ceil(f.size / 1024)} KB)` : ''; };
  fileInput.addEventListener('change', () => setFile(fileInput.files?.[0]));
  fileInput.addEventListener('change', () => loadColumns());
  const drop = h('label', { class: 'drop', for: 'batch-file', dataset: { path: 'file' } }, h('strong', {}, t('dropHere')), fileInput, chosen);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); const f = e.dataTransfer?.files?.[0]; if (f) { setFile(f); loadColumns(); } });

  const groupKeys = Object.keys(form.batch.groupKeys ?? {});
  const select = (name, label, values) => {
    const id = nextId('f');
    const el = h('select', { id, name }, values.map((v) => h('option', { value: v }, t(`${name}.${v}`) === `${name}.${v}` ? v : t(`${name}.${v}`))));
    return [el, h('div', { class: 'field', dataset: { path: name } }, h('label', { for: id }, label), el)];
  };
  const [groupBy, groupField] = select('group', t('groupBy'), [...groupKeys, 'none']);
  groupBy.name = 'groupBy';
  // One document per local authority, as the CLI and the API do by default.
  groupBy.value = groupKeys.includes('authority') ? 'authority' : groupKeys[0] ?? 'none';
  const [output, outputField] = select('output', t('output'), ['zip', 'pdf']);
  const [format, formatField] = select('format', t('format'), ['pdf', 'docx']);
  output.addEventListener('change', () => { format.disabled = output.value !== 'zip'; });
  const sheetId = nextId('f');
  const sheet = h('input', { type: 'text', id: sheetId, name: 'sheet', autocomplete: 'off' });
  const sheetField = h('div', { class: 'field', dataset: { path: 'sheet' } }, h('label', { for: sheetId }, t('sheet')), sheet);
  sheet.addEventListener('change', () => loadColumns());

  // The column-mapping step: the file's headers, a dropdown per needed column with the server's best guess,
  // or this office's last choice for files with the same headers. Hidden where the server has no such endpoint.
  const mapBox = h('section', { class: 'mapping', hidden: true, dataset: { path: 'columns' }, 'aria-label': t('mapTitle') });
  let mapping = null;
  const mapKey = (headers) => `saraban.columns.${id}.${JSON.stringify([...headers].sort())}`;
  async function loadColumns() {
    mapping = null;
    mapBox.hidden = true;
    mapBox.replaceChildren();
    if (!file) return;
    const body = new FormData();
    body.append('file', file, file.name);
    if (sheet.value.trim()) body.append('sheet', sheet.value.trim());
    let res;
    try { res = await fetch(`/api/v1/batch/${encodeURIComponent(id)}/columns`, { method: 'POST', body }); } catch { return; }
    if (res.status === 404 || res.status === 405 || res.status === 501) return;
    if (!res.ok) { showErrors(formEl, await errorOf(res)); return; }
    const info = await res.json();
    const headers = (info.headers ?? []).filter((x) => x);
    let remembered = {};
    try { remembered = JSON.parse(localStorage.getItem(mapKey(headers)) ?? '{}') ?? {}; } catch { /* none */ }
    const required = new Set(info.required ?? []);
    const keys = [...new Set([...Object.keys(info.mapping ?? {}), ...required])];
    const selects = new Map();
    const rows = keys.map((k) => {
      const label = form.batch.columns?.[k]?.[0] ?? info.accepted?.[k]?.[0] ?? k;
      const sid = nextId('f');
      const sel = h('select', { id: sid, name: `columns.${k}`, dataset: { key: k } }, h('option', { value: '' }, t('notUsed')), headers.map((x) => h('option', { value: x }, x)));
      const pick = headers.includes(remembered[k]) ? remembered[k] : info.mapping?.[k] ?? '';
      sel.value = headers.includes(pick) ? pick : '';
      // A column chosen: its message (if any) goes.
      sel.addEventListener('change', () => { sel.removeAttribute('aria-invalid'); sel.parentElement?.querySelector('.error')?.remove(); });
      selects.set(k, sel);
      return h('tr', {},
        h('th', { scope: 'row' }, h('label', { for: sid }, label, required.has(k) ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null), ' ', h('code', {}, k)),
        // The label again, unseen, inside the field: the error summary names the column by it.
        h('td', { class: 'field', dataset: { path: `columns.${k}` } }, h('label', { for: sid, class: 'visually-hidden' }, label), sel));
    });
    mapping = { headers, selects, required };
    mapBox.replaceChildren(h('h2', {}, t('mapTitle')), h('p', { class: 'hint' }, t('mapSub')),
      info.headerRow ? h('p', { class: 'hint' }, `${t('headerRow')} ${info.headerRow}`) : null,
      h('table', { class: 'plain map' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('column')), h('th', { scope: 'col' }, t('fileColumn')))), h('tbody', {}, rows)));
    mapBox.hidden = false;
  }
  const chosenColumns = () => {
    if (!mapping) return undefined;
    const out = {};
    for (const [k, sel] of mapping.selects) if (sel.value) out[k] = sel.value;
    return out;
  };

  const progress = h('progress', { max: 1, value: 0, 'aria-label': t('state') });
  const progressText = h('p', { role: 'status', 'aria-live': 'polite' });
  const resultBox = h('div', {});
  const jobBox = h('section', { class: 'panel job', hidden: true, 'aria-label': t('state') }, h('h2', { style: 'margin-top:0' }, t('state')), progress, progressText, resultBox);

  const columns = Object.entries(form.batch.columns ?? {});
  const formEl = h('form', { class: 'doc', novalidate: true, onsubmit: (e) => { e.preventDefault(); start(); } },
    drop, mapBox,
    h('div', { class: 'row' }, groupField, outputField, formatField, sheetField),
    h('h2', {}, t('shared')), shared.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('start')),
      h('button', { type: 'button', class: 'remove', onclick: () => {
        if (!confirm(t('clearConfirm'))) return;
        shared.set(undefined); clearErrors(formEl); dropDraft('batch', id); sheet.value = '';
      } }, t('clear'))));
  // What was typed (the shared fields and the choices; not the file, which the browser cannot keep) survives a reload.
  const batchState = () => ({ shared: shared.get(), groupBy: groupBy.value, output: output.value, format: format.value, sheet: sheet.value });
  const batchPristine = JSON.stringify(batchState());
  const batchDraft = loadDraft('batch', id);
  if (batchDraft) {
    shared.set(batchDraft.shared);
    for (const [el, v] of [[groupBy, batchDraft.groupBy], [output, batchDraft.output], [format, batchDraft.format]]) if (v && [...el.options].some((o) => o.value === v)) el.value = v;
    sheet.value = batchDraft.sheet ?? '';
    format.disabled = output.value !== 'zip';
  }
  keepDraft(formEl, () => { const st = batchState(); if (JSON.stringify(st) === batchPristine) dropDraft('batch', id); else saveDraft('batch', id, st); });

  async function start() {
    clearErrors(formEl);
    if (!file) { showErrors(formEl, { th: t('noFile'), en: TEXT.en.noFile, fields: [{ path: 'file', th: TEXT.th.noFile, en: TEXT.en.noFile }] }); return; }
    const body = new FormData();
    body.append('file', file, file.name);
    body.append('shared', JSON.stringify(shared.get() ?? {}));
    body.append('groupBy', groupBy.value);
    body.append('output', output.value);
    if (output.value === 'zip') body.append('format', format.value);
    if (sheet.value.trim()) body.append('sheet', sheet.value.trim());
    const columns = chosenColumns();
    if (columns) {
      const missing = [...mapping.required].filter((k) => !columns[k]);
      if (missing.length) {
        showErrors(formEl, { th: TEXT.th.mapMissing, en: TEXT.en.mapMissing, fields: missing.map((k) => ({ path: `columns.${k}`, th: TEXT.th.mapMissing, en: TEXT.en.mapMissing })) });
        return;
      }
      body.append('columns', JSON.stringify(columns));
      try { localStorage.setItem(mapKey(mapping.headers), JSON.stringify(columns)); } catch { /* storage disabled */ }
    }
    formEl.querySelector('button[type=submit]').disabled = true;
    try {
      const res = await fetch(`/api/v1/batch/${encodeURIComponent(id)}`, { method: 'POST', body });
      if (!res.ok) { showErrors(formEl, await errorOf(res), 'shared.'); return; }
      const job = await res.json();
      jobBox.hidden = false;
      jobBox.scrollIntoView({ block: 'nearest' });
      await poll(job.id);
    } catch { progressText.textContent = t('networkError'); } finally { formEl.querySelector('button[type=submit]').disabled = false; }
  }

  async function poll(jobId) {
    resultBox.replaceChildren();
    for (;;) {
      const res = await fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}`);
      if (!res.ok) { progressText.textContent = msg(await errorOf(res)); return; }
      const job = await res.json();
      const p = job.progress ?? {};
      progress.max = Math.max(1, p.rows ?? 1);
      progress.value = p.rowsDone ?? 0;
      progressText.textContent = `${t('state')}: ${t(`state.${job.state}`)} · ${t('rows')} ${p.rowsDone ?? 0}/${p.rows ?? '?'} · ${t('groups')} ${p.groupsDone ?? 0}/${p.groups ?? '?'} · ${t('pages')} ${p.pages ?? 0}`;
      if (job.state === 'done' || job.state === 'failed') { showJob(job); return; }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  function showJob(job) {
    const parts = [];
    if (job.state === 'done') {
      progress.value = progress.max;
      parts.push(h('p', {}, h('a', { class: 'button primary', href: `/api/v1/jobs/${encodeURIComponent(job.id)}/result`, download: '' }, t('downloadResult'))));
    } else {
      parts.push(h('div', { class: 'summary', role: 'alert' }, msg(job.error) || t('state.failed')));
    }
    const bad = job.badRows ?? [];
    if (bad.length) {
      parts.push(h('h3', {}, `${t('badRows')} (${job.badRowCount ?? bad.length})`),
        h('table', { class: 'plain bad-rows' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('row')), h('th', { scope: 'col' }, t('column')), h('th', { scope: 'col' }, t('problem')))),
          h('tbody', {}, bad.map((r) => h('tr', {}, h('td', {}, String(r.row)), h('td', {}, r.column ?? ''), h('td', {}, msg(r)))))));
      if ((job.badRowCount ?? 0) > bad.length) parts.push(h('p', {}, `${t('badRowMore')} ${job.badRowCount - bad.length} ${t('items')}`));
    }
    // A group whose arithmetic does not hold is left out whole: say which, and why.
    const groups = (job.groupErrors ?? []).flatMap((g) => g.errors.map((e) => ({ group: g.group, ...e })));
    if (groups.length) {
      parts.push(h('h3', {}, t('groupErrors')),
        h('table', { class: 'plain bad-rows' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('group')), h('th', { scope: 'col' }, t('column')), h('th', { scope: 'col' }, t('problem')))),
          h('tbody', {}, groups.map((g) => h('tr', {}, h('td', {}, g.group), h('td', {}, g.path ?? ''), h('td', {}, msg(g)))))));
    }
    resultBox.replaceChildren(...parts);
  }

  main().replaceChildren(h('p', {}, h('a', { href: '#/batch' }, t('back'))), h('h1', {}, `${t('nav.batch')}: ${titleOf(form)}`), h('p', { class: 'sub' }, t('batchSub')),
    h('div', { class: 'layout' }, h('div', {}, formEl, jobBox),
      h('section', { class: 'panel', 'aria-label': t('columns') }, h('h2', { style: 'margin-top:0' }, t('columns')),
        h('table', { class: 'plain' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('column')), h('th', { scope: 'col' }, t('headers')))),
          h('tbody', {}, columns.map(([k, names]) => h('tr', {}, h('td', {}, h('code', {}, k)), h('td', {}, names.join(', ')))))))));
}

function toolsPage() {
  document.title = `${t('nav.tools')} – สารบรรณ Saraban`;
  const field = (label, control) => { control.id ||= nextId('f'); return h('div', { class: 'field', dataset: { path: control.name } }, h('label', { for: control.id }, label), control); };
  const tplStatus = h('p', { role: 'status', 'aria-live': 'polite' });
  const tplForm = h('form', { class: 'doc', novalidate: true },
    h('h2', { style: 'margin-top:0' }, t('tplTitle')),
    h('p', {}, h('a', { href: '/docs/templates.md' }, t('docsLink'))),
    h('div', { class: 'row' },
      field(t('tplId'), h('input', { type: 'text', name: 'id', required: true, pattern: '[a-z0-9][a-z0-9-]*', autocomplete: 'off' })),
      field(t('tplTh'), h('input', { type: 'text', name: 'titleTh', required: true })),
      field(t('tplEn'), h('input', { type: 'text', name: 'titleEn', required: true }))),
    field(t('tplFile'), h('input', { type: 'file', name: 'template', accept: '.hbs,.handlebars,text/plain' })),
    field(t('tplSchema'), h('input', { type: 'file', name: 'schema', accept: '.json,application/json' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('tplUpload')), tplStatus));
  tplForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(tplForm);
    const res = await fetch('/api/v1/templates', { method: 'POST', body: new FormData(tplForm) });
    if (!res.ok) { showErrors(tplForm, await errorOf(res)); return; }
    const body = await res.json();
    formsCache = undefined;
    tplStatus.replaceChildren(h('span', { class: 'ok' }, `${t('tplDone')} `), h('a', { href: `#/form/${encodeURIComponent(body.id)}` }, body.title?.th ?? body.id));
  });

  const mergeStatus = h('p', { role: 'status', 'aria-live': 'polite' });
  const mergeForm = h('form', { class: 'doc', novalidate: true },
    h('h2', { style: 'margin-top:0' }, t('mergeTitle')),
    field(t('mergeDocx'), h('input', { type: 'file', name: 'template', accept: '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document' })),
    field(t('mergeData'), h('input', { type: 'file', name: 'data', accept: '.json,.csv,.xlsx' })),
    field(t('mergeFormat'), h('select', { name: 'format' }, h('option', { value: 'docx' }, 'DOCX'), h('option', { value: 'pdf' }, 'PDF'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('mergeGo')), mergeStatus));
  mergeForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(mergeForm);
    const fd = new FormData(mergeForm);
    const data = fd.get('data');
    // A JSON file goes as `data`, a spreadsheet as `rows`: the API reads them differently.
    if (data instanceof File && data.size > 0 && !/\.json$/i.test(data.name)) { fd.delete('data'); fd.append('rows', data, data.name); }
    const format = fd.get('format');
    fd.delete('format');
    mergeStatus.textContent = t('working');
    const res = await fetch(`/api/v1/docx-merge?format=${format}`, { method: 'POST', body: fd });
    mergeStatus.textContent = '';
    if (!res.ok) { showErrors(mergeForm, await errorOf(res)); return; }
    saveBlob(await res.blob(), fileNameOf(res, `merged.${format}`));
    mergeStatus.textContent = t('downloaded');
  });
  main().replaceChildren(h('h1', {}, t('toolsTitle')), h('p', { class: 'sub' }, t('toolsSub')), h('div', { class: 'layout' }, tplForm, mergeForm));
}

// ---- routing and language ----
async function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const [, page, id] = hash.split('/');
  for (const a of document.querySelectorAll('.top nav a')) {
    const target = a.getAttribute('href').replace(/^#/, '').split('/')[1];
    if ((target || '') === (page === 'form' ? '' : page || '')) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  flushDraft = () => {};
  try {
    if (page === 'form' && id) await formPage(id);
    else if (page === 'batch' && id) await batchPage(id);
    else if (page === 'batch') await batchListPage();
    else if (page === 'tools') toolsPage();
    else await homePage();
  } catch (err) {
    main().replaceChildren(h('div', { class: 'summary', role: 'alert' }, t('networkError')));
    console.error(err);
  }
  document.body.dataset.ready = hash;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  document.getElementById('lang').textContent = t('switchTo');
  document.getElementById('lang').setAttribute('aria-label', lang === 'th' ? 'Switch to English' : 'เปลี่ยนเป็นภาษาไทย');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  document.querySelector('.skip').textContent = t('skip');
}

document.getElementById('lang').addEventListener('click', () => {
  flushDraft();
  lang = lang === 'th' ? 'en' : 'th';
  localStorage.setItem('saraban.lang', lang);
  applyLanguage();
  route();
});
// A new page: focus moves to its content (screen readers announce it), the view to the top.
window.addEventListener('hashchange', () => { route().then(() => { main().focus({ preventScroll: true }); window.scrollTo(0, 0); }); });
applyLanguage();
route();
