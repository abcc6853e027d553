// Package aid is paired assistance (对口援助, 结对援助): the agreement between
// aiding and aided procuratorates, the log of what the aid did, and the
// money it spent (DOMAIN §1, issue 8).
//
// Vocabulary (Chinese term — English word used in identifiers):
//
//   - 结对 — pairing (Pairing): aiding units (援助方) and aided units (受援方),
//     a period (start and end date), the agreement text (协议), contacts
//     (联系人) and what the aided side shares with the aiding side (Shares):
//     aggregates (统计数据, on by default), evaluation reviews (评查讲评),
//     anonymised problem lists (匿名问题清单) and Q&A (互动答疑). Aggregates
//     are mirrored into the statistics sharing (stats_shares) in the same
//     transaction, so the comparison page follows the agreement.
//   - 活动 — activity (Activity): a visit (走访), meeting (会议), training
//     (培训) or liaison (联络), with date, place, participants and what was
//     agreed; 落实事项 — follow-up (FollowUp): an item with its owner, due
//     date and status (open 未落实 / done 已落实).
//   - 援助资金 — the fund ledger (Entry): allocations (拨付) and
//     expenditures (支出) in fen (分) as integers, with purpose, date and an
//     optional attachment (附件: PDF, JPEG, PNG, XLSX or DOCX, recognised by
//     content, at most 10 MB). Balance (结余) = allocations − expenditures;
//     an expenditure that would make it negative is refused.
//   - 人才梯队 — the talent pipeline (talent.go): competency areas (能力领域:
//     受理, 分案, 流程监控, 质量评查, 数据监管, 统计分析, 公开与律师接待) and
//     levels (能力等级: 见习 trainee, 熟练 practitioner, 骨干 backbone, 导师
//     mentor) are data; each person has a level per area; evidence (能力证据)
//     attaches to a person and an area. A level changes only when a
//     proposal (提议: by a case manager, or by a system rule computed from
//     the system's own records, thresholds as data) is confirmed by a
//     mentor of that area in a unit paired with the person's, never by the
//     person. Mentor–trainee assignments (师徒结对) cross the pairing's
//     units. Goal (1) counts, per aided unit, the staff at backbone or
//     above in every required area (the required areas are data).
//   - 援助目标 — goals (goals.go, progress.go, report.go): the four goals
//     of DOMAIN §1 as templates with parameters per pairing — (1) staff
//     able to run case management, (2) position (位次) among chosen peer
//     units on chosen indicators, upper-middle (中上游) = within the best
//     half, (3) informatization: a checklist (检查项) of capabilities used
//     in a window, read from the system's own records, (4) the talent
//     echelon (人才梯队): staff per level, none empty. Each is a measure
//     computed as of any date (the trend over quarters), and a quarterly
//     progress report (季度进展报告) in Word.
//   - 互动答疑 — Q&A (qa.go), when the agreement shares it: the aided side
//     asks, the aiding side answers (the first answer records the response
//     time), the asker follows up; answered questions are the knowledge
//     base, searched in SQL.
//
// Who may do what is decided here (policy.go), not at the edges: staff of
// a unit on either side, and supervisors or system administrators above
// every unit of the pairing, read it; the system administrator of a unit
// above every unit of the pairing, or above every aided unit, sets it up.
// Every view of a pairing crosses units, so every view is audited.
package aid
