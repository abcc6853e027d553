// Package assign is the case-rotation algorithm (分案): it decides which
// case-handling unit of a pool receives the next case, and says why.
//
// Vocabulary:
//
//   - 轮案池 pool: the members of one department × case category that take
//     cases in turn. The caller passes its members in their fixed order.
//   - 办案单元 member: a case-handling unit, a sole prosecutor or a team.
//   - 轮次 round: one pass over the members in order. Rounds are numbered
//     from 1 and never reset, because weights are phased on the round number.
//   - 权重 weight m/n: an "m/n" member takes a case in the first m rounds of
//     every n rounds and skips the other n−m (partial load for leaders and
//     part-timers). 1/1 is full load; 1/n is one case every n-th round.
//   - 本轮轮空 skip: a member passed over in a round its weight excludes.
//   - 不在位 absence: a registered absence takes the member out of rounds;
//     the cases missed are NOT made up later.
//   - 补偿 compensation: cases owed to a member because its case-handling
//     unit changed. Owed cases are served first, before the rotation, and do
//     not move it.
//   - 指定分案 designated assignment: a case given to a named member outside
//     the rotation, recorded with who designated it and why ("两个规定"
//     require leadership involvement in cases to be on record). It does not
//     move the rotation either.
//   - 分案说明 explanation: every Decision carries structured Steps, and
//     Decision.Explain renders them through the i18n layer ("why this
//     prosecutor").
//
// The package is pure: no I/O and no shared state. The caller loads the pool
// and its State, calls Next or Designate, and persists Decision.Next (and
// decrements the member's compensation when Decision.Compensated) in the same
// transaction that records the assignment.
package assign
