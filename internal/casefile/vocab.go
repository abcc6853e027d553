package casefile

// Vocabularies used in validation. Display names are i18n keys
// "<vocab>.<code>" (e.g. "measure.arrest").

// Genders.
func Genders() []string { return []string{"male", "female"} }

// IDTypes: resident_id numbers are checked digit by digit.
func IDTypes() []string { return []string{"resident_id", "passport", "other", "none"} }

// PartyRoles (诉讼地位).
func PartyRoles() []string {
	return []string{"suspect", "victim", "applicant", "respondent", "third_party", "other"}
}

// Measures: coercive measures (强制措施) and 留置 of the supervisory commission.
func Measures() []string {
	return []string{"none", "summons", "bail", "residence", "detention", "arrest", "lien"}
}

// custodialMeasures keep the person in custody (在押).
func custodialMeasures() []string { return []string{"detention", "arrest", "lien"} }

// Ethnicities: the 56 officially recognised groups and "other"; the list
// is short enough to be inline and changes only by State Council decision.
func Ethnicities() []string {
	return []string{"汉族", "维吾尔族", "哈萨克族", "回族", "柯尔克孜族", "塔吉克族", "蒙古族", "锡伯族",
		"乌孜别克族", "俄罗斯族", "塔塔尔族", "达斡尔族", "满族", "土家族", "苗族", "侗族", "瑶族", "壮族",
		"藏族", "彝族", "白族", "布依族", "朝鲜族", "其他"}
}

// CheckItems is the R157 intake checklist.
func CheckItems() []string {
	return []string{"jurisdiction", "file_complete", "property_match", "custody_status", "time_limit"}
}

// Event codes. received and assigned are written by intake and assignment;
// the others are recorded by the handler.
const (
	EventReceived            = "received"
	EventAssigned            = "assigned"
	EventExtended            = "extended"
	EventReturned            = "returned"
	EventResubmitted         = "resubmitted"
	EventAssessmentStarted   = "assessment_started"
	EventAssessmentEnded     = "assessment_ended"
	EventJurisdictionChanged = "jurisdiction_changed"
	EventDecided             = "decided"
	EventClosed              = "closed"
	// EventRightsNotified: the suspect told of the right to counsel and the
	// victim of the right to an agent, within 3 days of receipt (R40, R55).
	EventRightsNotified = "rights_notified"
)

// EventCodes lists every event code a timeline may hold.
func EventCodes() []string {
	return []string{EventReceived, EventAssigned, EventRightsNotified, EventExtended, EventReturned, EventResubmitted,
		EventAssessmentStarted, EventAssessmentEnded, EventJurisdictionChanged, EventDecided, EventClosed}
}
