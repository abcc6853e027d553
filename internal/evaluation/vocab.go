package evaluation

import "slices"

// Aspect is one of the eight aspects of evaluation content (评查内容, DOMAIN
// §7). The codes are stable: stored with findings and keyed in the
// catalogue as "evaluation.aspect.<code>".
type Aspect string

// The eight aspects, in the order of the rules.
const (
	AspectEvidence       Aspect = "evidence"       // 证据审查
	AspectFacts          Aspect = "facts"          // 事实认定
	AspectLaw            Aspect = "law"            // 法律适用
	AspectProcedure      Aspect = "procedure"      // 办案程序
	AspectDocuments      Aspect = "documents"      // 法律文书
	AspectReasoning      Aspect = "reasoning"      // 释法说理
	AspectEffect         Aspect = "effect"         // 办案效果
	AspectResponsibility Aspect = "responsibility" // 司法责任落实与廉洁
)

// Aspects lists the aspects in order.
func Aspects() []Aspect {
	return []Aspect{AspectEvidence, AspectFacts, AspectLaw, AspectProcedure, AspectDocuments, AspectReasoning,
		AspectEffect, AspectResponsibility}
}

// Valid reports whether a is a known aspect.
func (a Aspect) Valid() bool { return slices.Contains(Aspects(), a) }

// Key is the i18n key of the aspect's name.
func (a Aspect) Key() string { return "evaluation.aspect." + string(a) }

// Class is what a finding option means for the grade: no problem, a flaw
// (瑕疵: a defect that does not affect the correctness of the outcome) or a
// serious problem (严重问题: one that does, or a serious breach of
// procedure).
type Class string

// Finding classes.
const (
	ClassNone    Class = "none"
	ClassFlaw    Class = "flaw"
	ClassSerious Class = "serious"
)

// Classes lists the classes from the mildest.
func Classes() []Class { return []Class{ClassNone, ClassFlaw, ClassSerious} }

// Valid reports whether c is a known class.
func (c Class) Valid() bool { return slices.Contains(Classes(), c) }

// Key is the i18n key of the class's name.
func (c Class) Key() string { return "evaluation.class." + string(c) }

// Problem reports whether a finding of this class is a problem.
func (c Class) Problem() bool { return c == ClassFlaw || c == ClassSerious }

// Kind is the kind of an evaluation activity (评查方式).
type Kind string

// Activity kinds (DOMAIN §7).
const (
	KindRoutine  Kind = "routine"  // 常规抽查
	KindFocused  Kind = "focused"  // 重点评查
	KindThematic Kind = "thematic" // 专项评查
	KindCross    Kind = "cross"    // 交叉评查
	KindUpper    Kind = "upper"    // 上级院评查
)

// Kinds lists the activity kinds.
func Kinds() []Kind { return []Kind{KindRoutine, KindFocused, KindThematic, KindCross, KindUpper} }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds(), k) }

// Key is the i18n key of the kind's name.
func (k Kind) Key() string { return "evaluation.kind." + string(k) }

// ActivityStatus is where an activity stands.
type ActivityStatus string

// Activity statuses.
const (
	ActivityPlanning   ActivityStatus = "planning"   // 筹备：抽取案件、分配评查员
	ActivityEvaluating ActivityStatus = "evaluating" // 评查中
	ActivityClosed     ActivityStatus = "closed"     // 已结束
)

// ActivityStatuses lists the activity statuses.
func ActivityStatuses() []ActivityStatus {
	return []ActivityStatus{ActivityPlanning, ActivityEvaluating, ActivityClosed}
}

// Valid reports whether s is a known activity status.
func (s ActivityStatus) Valid() bool { return slices.Contains(ActivityStatuses(), s) }

// Key is the i18n key of the status's name.
func (s ActivityStatus) Key() string { return "evaluation.activity_status." + string(s) }

// Selection is how a case came into an activity.
type Selection string

// Selection methods.
const (
	SelectRandom Selection = "random" // 随机抽取
	SelectRule   Selection = "rule"   // 按规则抽取
	SelectManual Selection = "manual" // 人工指定
)

// Key is the i18n key of the method's name.
func (s Selection) Key() string { return "evaluation.selection." + string(s) }

// Status is where an evaluation record stands in the procedure. Keyed as
// "evaluation.status.<code>".
type Status string

// Record statuses, in procedural order.
const (
	StatusPending  Status = "pending"  // 待分配评查员
	StatusScoring  Status = "scoring"  // 评查中
	StatusProposed Status = "proposed" // 已拟定等次，待承办人反馈
	StatusObjected Status = "objected" // 承办人有异议，待评查委员会决定
	StatusFinal    Status = "final"    // 等次已确定，落实整改
	StatusClosed   Status = "closed"   // 已办结
)

// Statuses lists the record statuses in order.
func Statuses() []Status {
	return []Status{StatusPending, StatusScoring, StatusProposed, StatusObjected, StatusFinal, StatusClosed}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Key is the i18n key of the status's name.
func (s Status) Key() string { return "evaluation.status." + string(s) }

// ActionKind is a step taken on an evaluation record. Keyed as
// "evaluation.action.<code>".
type ActionKind string

// Action kinds.
const (
	ActSelect   ActionKind = "select"   // 抽取
	ActAssign   ActionKind = "assign"   // 分配评查员
	ActScore    ActionKind = "score"    // 评分（可多次保存）
	ActPropose  ActionKind = "propose"  // 拟定等次
	ActAgree    ActionKind = "agree"    // 承办人认可
	ActObject   ActionKind = "object"   // 承办人提出异议
	ActLapse    ActionKind = "lapse"    // 反馈期限届满未提异议（系统）
	ActDecide   ActionKind = "decide"   // 评查委员会决定
	ActFollowUp ActionKind = "followup" // 整改落实
	ActClose    ActionKind = "close"    // 办结
)

// ActionKinds lists every action kind.
func ActionKinds() []ActionKind {
	return []ActionKind{ActSelect, ActAssign, ActScore, ActPropose, ActAgree, ActObject, ActLapse, ActDecide,
		ActFollowUp, ActClose}
}

// Key is the i18n key of the action's name.
func (k ActionKind) Key() string { return "evaluation.action." + string(k) }

// Response is the handler's answer to a proposed grade.
type Response string

// Responses.
const (
	RespAgree  Response = "agree"  // 认可
	RespObject Response = "object" // 异议
	RespLapsed Response = "lapsed" // 期限内未反馈
)

// Key is the i18n key of the response's name.
func (r Response) Key() string { return "evaluation.response." + string(r) }

// FollowUpKind is a follow-up action after the final grade (评查结果运用).
type FollowUpKind string

// Follow-up kinds.
const (
	FollowCorrection FollowUpKind = "correction" // 整改纠正（补正、纠正）
	FollowFeedback   FollowUpKind = "feedback"   // 讲评、反馈会
	FollowReferral   FollowUpKind = "referral"   // 移送检务督察/纪检追责（不合格案件）
)

// FollowUpKinds lists the follow-up kinds.
func FollowUpKinds() []FollowUpKind {
	return []FollowUpKind{FollowCorrection, FollowFeedback, FollowReferral}
}

// Valid reports whether k is a known follow-up kind.
func (k FollowUpKind) Valid() bool { return slices.Contains(FollowUpKinds(), k) }

// Key is the i18n key of the kind's name.
func (k FollowUpKind) Key() string { return "evaluation.followup." + string(k) }

// CheckStatus is where a self-check stands.
type CheckStatus string

// Self-check statuses.
const (
	CheckPending   CheckStatus = "pending"   // 待自查
	CheckSubmitted CheckStatus = "submitted" // 已自查，待核查
	CheckVerified  CheckStatus = "verified"  // 已核查
)

// CheckStatuses lists the self-check statuses.
func CheckStatuses() []CheckStatus { return []CheckStatus{CheckPending, CheckSubmitted, CheckVerified} }

// Valid reports whether s is a known self-check status.
func (s CheckStatus) Valid() bool { return slices.Contains(CheckStatuses(), s) }

// Key is the i18n key of the status's name.
func (s CheckStatus) Key() string { return "evaluation.check_status." + string(s) }

// Source says who recorded a finding of a self-check.
type Source string

// Finding sources of a self-check.
const (
	SourceSelf     Source = "self"     // 承办人自查
	SourceVerifier Source = "verifier" // 核查人补充
)

// Verdict is the verifier's view of a self-check finding.
type Verdict string

// Verdicts.
const (
	VerdictAgree    Verdict = "agree"    // 同意
	VerdictDisagree Verdict = "disagree" // 不同意
)

// Key is the i18n key of the verdict's name.
func (v Verdict) Key() string { return "evaluation.verdict." + string(v) }
