package casefile

// Vocabularies used in validation. Display names are i18n keys
// "<vocab>.<code>" (e.g. "measure.arrest").

// Genders lists the gender codes.
func Genders() []string { return []string{"male", "female"} }

// IDTypes lists the identity document types; resident_id numbers are
// checked digit by digit.
func IDTypes() []string { return []string{"resident_id", "passport", "other", "none"} }

// PartyRoles (诉讼地位).
func PartyRoles() []string {
	return []string{"suspect", "victim", "applicant", "respondent", "third_party", "other"}
}

// Measures lists the coercive measures (强制措施) and 留置 of the
// supervisory commission.
func Measures() []string {
	return []string{"none", "summons", "bail", "residence", "detention", "arrest", "lien"}
}

// custodialMeasures keep the person in custody (在押).
func custodialMeasures() []string { return []string{"detention", "arrest", "lien"} }

// Ethnicities lists the 56 officially recognised ethnic groups in the order
// of GB/T 3304 (中国各民族名称的罗马字母拼写法和代码), then 其他.
func Ethnicities() []string {
	return []string{
		"汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
		"满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
		"佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
		"达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
		"塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
		"独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他",
	}
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
	// EventCustodyExtensionRequested: after an arrest was approved, the
	// police asked to extend investigative custody (CPL 156); the
	// monitoring scan expects it 7 days before the custody expires.
	EventCustodyExtensionRequested = "custody_extension_requested"
)

// EventCodes lists every event code a timeline may hold.
func EventCodes() []string {
	return []string{EventReceived, EventAssigned, EventRightsNotified, EventExtended, EventReturned, EventResubmitted,
		EventAssessmentStarted, EventAssessmentEnded, EventJurisdictionChanged, EventDecided,
		EventCustodyExtensionRequested, EventClosed}
}
