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
    preview: 'แสดงตัวอย่าง', pdf: 'ดาวน์โหลด PDF', docx: 'ดาวน์โหลด DOCX', example: 'ตัวอย่างข้อมูล', loadExample: 'ใส่ข้อมูลตัวอย่าง', clear: 'ล้างแบบฟอร์ม',
    previewTitle: 'ตัวอย่างเอกสาร', previewEmpty: 'กด “แสดงตัวอย่าง” เพื่อดูหน้าเอกสารก่อนดาวน์โหลด', page: 'หน้า', of: 'จาก', prev: 'หน้าก่อน', next: 'หน้าถัดไป',
    working: 'กำลังจัดทำเอกสาร…', downloaded: 'ดาวน์โหลดแล้ว', exampleLoaded: 'ใส่ข้อมูลตัวอย่างแล้ว', fixFields: 'กรุณาแก้ไขช่องต่อไปนี้', options: 'ตัวเลือกการพิมพ์', emblem: 'ไฟล์ตราครุฑ (PNG, JPEG, SVG)',
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
  },
  en: {
    loading: 'Loading…', 'nav.forms': 'Forms', 'nav.batch': 'Batch', 'nav.tools': 'Templates & mail merge', skip: 'Skip to content',
    switchTo: 'ไทย', formsTitle: 'Choose a form', formsSub: 'Fill it in, preview the first page, download PDF or DOCX',
    fill: 'Fill in', batch: 'Batch from CSV/XLSX', userForm: 'Office template',
    required: 'required', requiredNote: 'Fields marked * are required', add: 'Add item', remove: 'Remove', removeItem: 'Remove item',
    datePick: 'Pick a date from the calendar', calendar: 'Calendar', dateHint: 'DD/MM/YYYY (Buddhist era), e.g. 17/02/2565', dateInvalid: 'Not a valid date: use DD/MM/YYYY (Buddhist era), e.g. 17/02/2565',
    preview: 'Preview', pdf: 'Download PDF', docx: 'Download DOCX', example: 'Example data', loadExample: 'Fill with an example', clear: 'Clear form',
    previewTitle: 'Preview', previewEmpty: 'Press “Preview” to see the document before downloading', page: 'Page', of: 'of', prev: 'Previous page', next: 'Next page',
    working: 'Preparing the document…', downloaded: 'Downloaded', exampleLoaded: 'Example filled in', fixFields: 'Please correct these fields', options: 'Print options', emblem: 'Emblem file (PNG, JPEG, SVG)',
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
      s.enum.map((v) => h('option', { value: String(v) }, String(v))));
    if (s.default !== undefined) select.value = String(s.default);
    return { el: fieldShell(path, labelOf(s, key), required, select, hint), get: () => (select.value === '' ? undefined : s.enum.find((v) => String(v) === select.value)), set: (v) => { select.value = v === undefined ? (s.default !== undefined ? String(s.default) : '') : String(v); } };
  }
  if (s.type === 'boolean') {
    const box = h('input', { ...common, type: 'checkbox' });
    if (s.default === true) box.checked = true;
    const el = h('div', { class: 'field', dataset: { path } }, h('label', {}, box, ' ', labelOf(s, key)));
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
      h('label', { for: id }, labelOf(s, key).replace(/\s*\(ปปปป-ดด-วว\)|,?\s*YYYY-MM-DD/, ''), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
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
    if (numeric && /^-?\d+(\.\d+)?$/.test(v.replace(/,/g, ''))) return Number(v.replace(/,/g, ''));
    return v;
  };
  return { el: fieldShell(path, labelOf(s, key), required, input, hint), get, set: (v) => { input.value = v === undefined || v === null ? (s.default !== undefined ? String(s.default) : '') : String(v); } };
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

/** Nothing typed: no value, or lists and groups holding nothing. */
const isBlank = (v) => v === undefined || (Array.isArray(v) ? v.every(isBlank) : typeof v === 'object' && v !== null ? Object.values(v).every(isBlank) : false);

function objectWidget(s, path, key, required) {
  const req = new Set(s.required ?? []);
  const children = Object.entries(s.properties).map(([k, sub]) => [k, widget(sub, path ? `${path}.${k}` : k, k, req.has(k))]);
  const body = children.map(([, w]) => w.el);
  let el;
  if (!path) el = h('div', { class: 'fields' }, body);
  else if (path === 'options') el = h('details', { class: 'field', dataset: { path } }, h('summary', {}, t('options')), body);
  else el = h('fieldset', { class: 'field', dataset: { path } }, h('legend', {}, labelOf(s, key), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null), body);
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
    h('legend', {}, labelOf(s, key), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
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
      list.append(h('li', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); (control ?? field).focus(); } }, `${labelFromField(field) || path}: ${text}`)));
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

// ---- pages ----
let formsCache;
async function loadForms() {
  if (!formsCache) {
    const res = await fetch('/api/v1/forms');
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
      if (res.ok) { root.set(await res.json()); clearErrors(formEl); done = t('exampleLoaded'); } else done = msg(await errorOf(res));
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
    h('button', { type: 'button', class: 'remove', onclick: () => { root.set(undefined); clearErrors(formEl); } }, t('clear')),
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
  const shared = widget(form.batch.shared ?? { type: 'object', properties: {} }, '', 'shared', true);
  const fileInput = h('input', { type: 'file', id: 'batch-file', name: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const chosen = h('span', { class: 'chosen', 'aria-live': 'polite' });
  let file;
  const setFile = (f) => { file = f; chosen.textContent = f ? `${t('chosen')}: ${f.name} (${Math.ceil(f.size / 1024)} KB)` : ''; };
  fileInput.addEventListener('change', () => setFile(fileInput.files?.[0]));
  const drop = h('label', { class: 'drop', for: 'batch-file', dataset: { path: 'file' } }, h('strong', {}, t('dropHere')), fileInput, chosen);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); const f = e.dataTransfer?.files?.[0]; if (f) setFile(f); });

  const groupKeys = Object.keys(form.batch.groupKeys ?? {});
  const select = (name, label, values) => {
    const id = nextId('f');
    const el = h('select', { id, name }, values.map((v) => h('option', { value: v }, t(`${name}.${v}`) === `${name}.${v}` ? v : t(`${name}.${v}`))));
    return [el, h('div', { class: 'field', dataset: { path: name } }, h('label', { for: id }, label), el)];
  };
  const [groupBy, groupField] = select('group', t('groupBy'), [...groupKeys, 'none']);
  groupBy.name = 'groupBy';
  const [output, outputField] = select('output', t('output'), ['zip', 'pdf']);
  const [format, formatField] = select('format', t('format'), ['pdf', 'docx']);
  output.addEventListener('change', () => { format.disabled = output.value !== 'zip'; });
  const sheetId = nextId('f');
  const sheet = h('input', { type: 'text', id: sheetId, name: 'sheet', autocomplete: 'off' });
  const sheetField = h('div', { class: 'field', dataset: { path: 'sheet' } }, h('label', { for: sheetId }, t('sheet')), sheet);

  const progress = h('progress', { max: 1, value: 0, 'aria-label': t('state') });
  const progressText = h('p', { role: 'status', 'aria-live': 'polite' });
  const resultBox = h('div', {});
  const jobBox = h('section', { class: 'panel job', hidden: true, 'aria-label': t('state') }, h('h2', { style: 'margin-top:0' }, t('state')), progress, progressText, resultBox);

  const columns = Object.entries(form.batch.columns ?? {});
  const formEl = h('form', { class: 'doc', novalidate: true, onsubmit: (e) => { e.preventDefault(); start(); } },
    drop,
    h('div', { class: 'row' }, groupField, outputField, formatField, sheetField),
    h('h2', {}, t('shared')), shared.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('start'))));

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
  lang = lang === 'th' ? 'en' : 'th';
  localStorage.setItem('saraban.lang', lang);
  applyLanguage();
  route();
});
// A new page: focus moves to its content (screen readers announce it), the view to the top.
window.addEventListener('hashchange', () => { route().then(() => { main().focus({ preventScroll: true }); window.scrollTo(0, 0); }); });
applyLanguage();
route();
