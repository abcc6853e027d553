package deadline

// Case is what Derive reads: the category, the facts that select periods,
// and the procedural events. It mirrors the input of `anguan deadline calc`.
type Case struct {
	// Category is a case category (Categories) or, for a single period
	// computed on its own (the calculator), a rule kind; then the clock
	// starts at the "received" event.
	Category string `json:"category"`
	// InCustody: the suspect or defendant is in custody (在押), which
	// shortens arrest review (CPL 91) and forbids shifting a due date past
	// days off (CPL 105).
	InCustody bool `json:"in_custody"`
	// FastTrack: plea leniency with fast-track procedure (认罪认罚+速裁,
	// CPL 172).
	FastTrack bool `json:"fast_track"`
	// SentenceOverOneYear: the possible sentence exceeds one year, which
	// lengthens fast-track review to 15 days (CPL 172).
	SentenceOverOneYear bool `json:"sentence_over_1y"`
	// Major: a major or complex case (重大、复杂), e.g. 20 days of arrest
	// review when not detained (R282).
	Major bool `json:"major"`
	// Urgent: damage to the public interest keeps growing (紧急情形), so a
	// pre-suit recommendation must be answered in 15 days (PIL
	// interpretation 21).
	Urgent bool `json:"urgent"`
	// Events are the procedural events; Derive orders them by date,
	// keeping the given order within a day.
	Events []Event `json:"events"`
}

// Event is one dated procedural fact.
type Event struct {
	// Code is an event code (the Event* constants).
	Code string `json:"type"`
	// Date is the day it happened.
	Date Date `json:"date"`
	// Outcome records what was decided (approved, not_approved,
	// prosecute…). Deadlines do not depend on it; it is kept for the
	// record and the case state machine.
	Outcome string `json:"outcome,omitempty"`
	// Reason is the suspension reason of assessment_started (the Reason*
	// constants); empty means the category's usual one.
	Reason string `json:"reason,omitempty"`
	// Period is the approved length of an extension where the law leaves
	// it to the approver (ExtensionRule.Variable); ignored elsewhere.
	Period Period `json:"period,omitzero"`
	// Kind, when set, limits the event to clocks of that kind (e.g. an
	// extension of one clock when several are open).
	Kind string `json:"kind,omitempty"`
}

// Event codes. They are stable: stored with events and used in the CLI.
const (
	EventReceived                 = "received"                  // 受理: the file or request arrived
	EventAssigned                 = "assigned"                  // 分案: no effect on periods
	EventExtended                 = "extended"                  // 延长: extension approved
	EventReturned                 = "returned"                  // 退回补充侦查 (CPL 175)
	EventResubmitted              = "resubmitted"               // 补充侦查后重新移送 (CPL 175)
	EventAssessmentStarted        = "assessment_started"        // 鉴定等不计入期限的事项开始 (CPL 149)
	EventAssessmentEnded          = "assessment_ended"          // …结束
	EventJurisdictionChanged      = "jurisdiction_changed"      // 改变管辖 (CPL 172)
	EventDecided                  = "decided"                   // 作出决定
	EventClosed                   = "closed"                    // 办结
	EventRightsNotified           = "rights_notified"           // 告知诉讼权利 (CPL 34, 46)
	EventReconsiderationRequested = "reconsideration_requested" // 不批捕复议 (R290)
	EventWithdrawn                = "withdrawn"                 // 撤回起诉 (R424)
	EventRecommendationIssued     = "recommendation_issued"     // 诉前检察建议送达
	EventNoticePublished          = "notice_published"          // 公益诉讼公告
	EventReplied                  = "replied"                   // 收到/作出书面回复
	EventProgressReplied          = "progress_replied"          // 答复办理过程或结果 (信访)
	EventNoticeIssued             = "notice_issued"             // 发出流程监控通知书 (R665)
	EventNoticeReplied            = "notice_replied"            // 流程监控通知书回复
	// EventCustodyExtensionRequested: the investigating organ asked to
	// extend investigative custody (CPL 156); it changes no period of the
	// office but the monitoring scan reads it (R: ask 7 days before expiry).
	EventCustodyExtensionRequested = "custody_extension_requested"
)

// EventCodes lists every event code.
func EventCodes() []string {
	return []string{
		EventReceived, EventAssigned, EventExtended, EventReturned, EventResubmitted,
		EventAssessmentStarted, EventAssessmentEnded, EventJurisdictionChanged, EventDecided,
		EventClosed, EventRightsNotified, EventReconsiderationRequested, EventWithdrawn,
		EventRecommendationIssued, EventNoticePublished, EventReplied, EventProgressReplied,
		EventNoticeIssued, EventNoticeReplied, EventCustodyExtensionRequested,
	}
}

func knownEvent(code string) bool {
	for _, c := range EventCodes() {
		if c == code {
			return true
		}
	}
	return false
}

// Suspension reasons: what the time not counted was spent on.
const (
	// ReasonPsychiatric: psychiatric assessment of the suspect (CPL 149).
	ReasonPsychiatric = "psychiatric"
	// ReasonFileRetrieval, ReasonAppraisal, ReasonEvaluation, ReasonAudit:
	// retrieving files, appraisal, evaluation, audit in administrative
	// supervision (DOMAIN §5.1; 人民检察院行政诉讼监督规则).
	ReasonFileRetrieval = "file_retrieval"
	ReasonAppraisal     = "appraisal"
	ReasonEvaluation    = "evaluation"
	ReasonAudit         = "audit"
)

// Reasons lists every suspension reason.
func Reasons() []string {
	return []string{ReasonPsychiatric, ReasonFileRetrieval, ReasonAppraisal, ReasonEvaluation, ReasonAudit}
}

// defaultReason is the reason assumed when an assessment_started event
// names none: psychiatric assessment in criminal cases (CPL 149),
// appraisal in civil and administrative supervision.
func defaultReason(category string) string {
	if category == CategoryAdminSupervision || category == CategoryCivilSupervision {
		return ReasonAppraisal
	}
	return ReasonPsychiatric
}

// Case categories whose events Derive reads.
const (
	CategoryArrestReview      = "arrest_review"      // 审查逮捕
	CategoryProsecutionReview = "prosecution_review" // 审查起诉
	CategoryCivilSupervision  = "civil_supervision"  // 民事诉讼监督
	CategoryAdminSupervision  = "admin_supervision"  // 行政诉讼监督
	CategoryPILAdmin          = "pil_admin"          // 行政公益诉讼
	CategoryPILCivil          = "pil_civil"          // 民事公益诉讼
	CategoryPetition          = "petition"           // 群众来信 / 12309
)

// Categories lists the case categories. A rule kind is also accepted as a
// category, for a single period on its own.
func Categories() []string {
	return []string{
		CategoryArrestReview, CategoryProsecutionReview, CategoryCivilSupervision,
		CategoryAdminSupervision, CategoryPILAdmin, CategoryPILCivil, CategoryPetition,
	}
}

func isCategory(s string) bool {
	for _, c := range Categories() {
		if c == s {
			return true
		}
	}
	return false
}
