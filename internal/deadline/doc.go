// Package deadline computes statutory deadlines (期限) of a procuratorate's
// cases from their procedural events, and explains every computed date step
// by step. It is pure code: no I/O except the embedded default holiday data,
// no database, no clock of its own (callers pass "today").
//
// Vocabulary (Chinese term — English word used in identifiers):
//
//   - 期限 / 期间 — period: a length of time fixed by law (Period), counted in
//     hours, days, months or working days (CPL 105).
//   - 起算日 — start day: the day of the event that starts a period; it is not
//     counted (CPL 105), so 7 days from 3 March end at the end of 10 March.
//   - 期满日 — due date (Due): the last day of a period after every rule
//     below has been applied; BaseDue is the date before extensions,
//     suspensions and holiday shifts.
//   - 工作日 — working day; 休息日 — weekend day; 法定节假日 — official holiday;
//     调休 — make-up working day (a weekend day worked in exchange for a
//     holiday). All three come from the yearly State Council notice and are
//     data (YearData, Calendar).
//   - 顺延 — shift: a due date on a non-working day moves to the next working
//     day, except while the person is in custody (在押, CPL 105).
//   - 延长 — extension: an approved lengthening of a period (e.g. 15 days of
//     prosecution review, CPL 172).
//   - 中止 / 不计入 — suspension: time that does not count, such as a
//     psychiatric assessment (精神病鉴定, CPL 149); the due date moves by its
//     length.
//   - 重新计算 — restart: a new period from zero, e.g. after resubmission
//     (重新移送) following a return for supplementary investigation
//     (退回补充侦查, CPL 175) or a change of jurisdiction (改变管辖, CPL 172).
//   - 时钟 — clock (Clock): one period running in one case, with its kind
//     (a stable code such as "prosecution_review"), legal basis, start,
//     due date, state and explanation.
//   - 规则 — rule (Rule): the data describing a kind of clock: periods and
//     the case facts that select them, extensions, and which events start,
//     meet, stop or restart it.
//   - 案件类别 — category: the kind of case whose events are read (arrest
//     review, prosecution review, civil supervision…).
//   - 事件 — event (Event): a dated procedural fact (received, returned,
//     decided…) recorded on a case.
//   - 按期 / 超期 — met / missed: the deciding event came in time or late;
//     逾期未结 — overdue: still open after the due date.
//   - 预警 — warning: yellow, orange or red colour of an open clock.
//
// Abbreviations in comments: CPL = Criminal Procedure Law of the PRC (2018);
// R = 人民检察院刑事诉讼规则 (2019); PIL interpretation = 最高人民法院、最高人民检察院
// 关于检察公益诉讼案件适用法律若干问题的解释 (2018, amended 2020).
//
// Texts shown to people go through message keys ("deadline.*") rendered by
// the i18n catalogue; this package never formats Chinese itself.
package deadline
