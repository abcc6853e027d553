// Package evaluation is case quality (案件质量): every closed case checked
// (每案必检) by its handler and verified by the department head, and
// evaluation (评查) organised by the case management office, with its
// checklists, grades, procedure and statistics (DOMAIN §7).
//
// Vocabulary (Chinese term — English word used in identifiers):
//
//   - 评查模板 — template (Template): versioned data, a tree of items (评查
//     项目, Item) under the eight aspects (评查内容, Aspect): evidence 证据,
//     facts 事实认定, law 法律适用, procedure 办案程序, documents 法律文书,
//     reasoning 释法说理, effect 办案效果, responsibility 司法责任落实/廉洁.
//     Each item has its standard (评查标准), finding options (Option: 无问题
//     none, 瑕疵 flaw, 严重问题 serious, 不适用 not applicable — each with a
//     class and a deduction 扣分), legal basis and guidance (评查指引). A
//     version is never changed: editing makes the next version.
//   - 等次 — grade (Grade) on a scale (Scale, 评查等次标准) that belongs to
//     the template version: 2017 优质/合格/瑕疵/不合格, 2026 优质/合格/基本
//     合格/不合格, with the rule (GradeRule) that maps findings to the
//     suggested grade (建议等次).
//   - 问题 — finding (Finding): the option chosen for one item, with a note.
//   - 案件质量检查（自查） — self-check (SelfCheck): filed by the handler
//     within 10 working days of closing; 核查 — verification by the head of
//     the handling department (agree 同意 / disagree 不同意 per finding).
//     The two together are the case's quality record.
//   - 评查活动 — activity (Activity): kind (常规抽查 routine, 重点评查
//     focused, 专项评查 thematic, 交叉评查 cross, 上级院评查 upper), scope
//     (units, categories, closing period), scale and template versions,
//     team leader (组长), evaluators (评查员), committee (评查委员会),
//     deadline.
//   - 抽取 — selection: random sampling (随机抽取) with a recorded seed,
//     rate and population; by rule (按规则抽取) for focused evaluation; by
//     hand with a reason (人工指定).
//   - 回避 — recusal: an evaluator is never the handler, a member of the
//     handling team, the verifier of the self-check, anyone who recorded an
//     event on the case, nor — in cross evaluation — of the case's unit.
//   - 评查记录 — record (Record): one case in one activity, through the
//     procedure: scoring 评分 → proposed grade 拟定等次 → the handler's
//     response (agree 认可 / objection 异议) → committee decision 评查委员会
//     决定 → final grade 最终等次 → follow-up 整改/讲评/移送追责 → closed.
//   - 评查报告 — report: the case report and the activity report (DOCX).
//   - 校准 — calibration: each evaluator's grades and the share of their
//     findings overturned on objection.
//
// Templates, scales, sampling, recusal and the step machine are pure code
// with table tests; the Service checks access, validates, and hands the
// store one transaction per action together with its audit record.
// User-facing text is i18n keys ("evaluation.*", "err.evaluation_*");
// checklist text is data (the templates), written in Chinese.
package evaluation
