// Package monitor is process monitoring (流程监控, DOMAIN §6; 《人民检察院刑事
// 诉讼规则》第六百六十五条): the case management office watches whether cases
// are handled lawfully, on time and completely, and answers each problem
// with a graded response.
//
// Vocabulary (Chinese term — English word used in identifiers):
//
//   - 监控范围 — area (Area): the ten monitored areas of the 2016 SPP rules
//     (intake, coercive measures, property, documents, deadlines, rights,
//     files sent out, risk assessment, data entry, disclosure).
//   - 情节 — severity (Severity): 情节轻微 minor, 情节较重 fairly serious,
//     情节严重 serious, 涉嫌违纪违法 misconduct.
//   - 监控规则 — rule (Rule): a declarative check over a case snapshot with
//     its area, severity, legal basis, title and fix hint.
//   - 案件快照 — snapshot (Snapshot): what a rule reads of one case: its
//     facts, events, statutory clocks and refused attempts, as of a day.
//   - 问题 / 发现 — finding (Finding): one problem in one case, found by
//     the daily scan (巡查) or recorded by hand by a case manager.
//   - 处置 — action (Action): one step taken on a finding, who did it, when
//     and with what note; the actions are the patrol record.
//   - 口头提示 — oral prompt; 案件流程监控通知书 — monitoring notice
//     (Notice) with its own document number and reply due date; 书面回复 —
//     reply; 报告检察长 — report to the chief procurator; 逾期未复，报告分管
//     副检察长 — escalation; 移送检务督察/纪检 — transfer to discipline
//     inspection; 整改 — rectification (a finding closes as rectified or not
//     rectified).
//   - 处置阶段 — step (Step): the most severe response taken so far;
//     状态 — status (Status): where the finding stands (open, awaiting a
//     reply, replied, closed).
//   - 日巡查记录 — patrol log; 月台账 — monthly ledger; 季度分析 — quarterly
//     analysis; 反复出现的问题 — recurring problem.
//
// Rules and the step machine are pure code with table tests; the Service
// checks access, validates, and hands the store one transaction per action
// together with its audit record. User-facing text is i18n keys
// ("monitor.*"); legal citations are data, as in package deadline.
package monitor
