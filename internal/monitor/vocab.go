package monitor

import "slices"

// Area is a monitored area (监控范围) of the 2016 SPP rules on case process
// monitoring. The codes are stable: stored with findings and keyed in the
// catalogue as "monitor.area.<code>".
type Area string

// The ten monitored areas, in the order of the rules.
const (
	AreaIntake           Area = "intake"            // 案件受理
	AreaCoerciveMeasures Area = "coercive_measures" // 强制措施
	AreaProperty         Area = "property"          // 涉案财物
	AreaDocuments        Area = "documents"         // 法律文书
	AreaDeadlines        Area = "deadlines"         // 办案期限
	AreaRights           Area = "rights"            // 诉讼权利保障
	AreaFilesOut         Area = "files_out"         // 卷宗移送
	AreaRisk             Area = "risk"              // 风险评估
	AreaDataEntry        Area = "data_entry"        // 统一业务应用系统录入
	AreaDisclosure       Area = "disclosure"        // 案件信息公开
)

// Areas lists the monitored areas in the order of the rules.
func Areas() []Area {
	return []Area{AreaIntake, AreaCoerciveMeasures, AreaProperty, AreaDocuments, AreaDeadlines, AreaRights,
		AreaFilesOut, AreaRisk, AreaDataEntry, AreaDisclosure}
}

// Valid reports whether a is a known area.
func (a Area) Valid() bool { return slices.Contains(Areas(), a) }

// Key is the i18n key of the area's name.
func (a Area) Key() string { return "monitor.area." + string(a) }

// Severity is how serious a problem is (情节); it selects the graded
// response of R665.
type Severity string

// Severities, from the mildest.
const (
	Minor         Severity = "minor"          // 情节轻微
	FairlySerious Severity = "fairly_serious" // 情节较重
	Serious       Severity = "serious"        // 情节严重
	Misconduct    Severity = "misconduct"     // 涉嫌违纪违法
)

// Severities lists the severities from the mildest.
func Severities() []Severity { return []Severity{Minor, FairlySerious, Serious, Misconduct} }

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return slices.Contains(Severities(), s) }

// Key is the i18n key of the severity's name.
func (s Severity) Key() string { return "monitor.severity." + string(s) }

// Responses is the graded response of R665 to a problem of this severity,
// the actions the office is expected to take: an oral prompt for a minor
// one; a monitoring notice with a written reply for a fairly serious one;
// the notice plus a report to the chief procurator for a serious one; a
// transfer to discipline inspection for suspected misconduct.
func (s Severity) Responses() []ActionKind {
	switch s {
	case Minor:
		return []ActionKind{ActPrompt}
	case FairlySerious:
		return []ActionKind{ActNotice}
	case Serious:
		return []ActionKind{ActNotice, ActReportChief}
	case Misconduct:
		return []ActionKind{ActTransfer}
	}
	return nil
}

// Step is the graded step a finding has reached (处置阶段): the most severe
// response taken so far. Keyed as "monitor.step.<code>".
type Step string

// Steps, in ascending grade.
const (
	StepDetected    Step = "detected"    // 已发现，尚未处置
	StepPrompted    Step = "prompted"    // 已口头提示
	StepNotified    Step = "notified"    // 已发流程监控通知书
	StepEscalated   Step = "escalated"   // 逾期未复，已报告分管副检察长
	StepReported    Step = "reported"    // 已报告检察长
	StepTransferred Step = "transferred" // 已移送检务督察
)

// Steps lists the steps in ascending grade.
func Steps() []Step {
	return []Step{StepDetected, StepPrompted, StepNotified, StepEscalated, StepReported, StepTransferred}
}

// grade orders steps; an unknown step is below every known one.
func (s Step) grade() int { return slices.Index(Steps(), s) }

// Key is the i18n key of the step's name.
func (s Step) Key() string { return "monitor.step." + string(s) }

// Status is where a finding stands. Keyed as "monitor.status.<code>".
type Status string

// Statuses of a finding.
const (
	StatusOpen          Status = "open"           // 待处置 (found, perhaps prompted)
	StatusAwaitingReply Status = "awaiting_reply" // 已发通知书，待书面回复
	StatusReplied       Status = "replied"        // 已回复，待核查整改
	StatusRectified     Status = "rectified"      // 已整改，办结
	StatusNotRectified  Status = "not_rectified"  // 未整改，办结
)

// Statuses lists every status, the open ones first.
func Statuses() []Status {
	return []Status{StatusOpen, StatusAwaitingReply, StatusReplied, StatusRectified, StatusNotRectified}
}

// OpenStatuses lists the statuses of a finding still being handled.
func OpenStatuses() []Status { return []Status{StatusOpen, StatusAwaitingReply, StatusReplied} }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Closed reports whether a finding in this status is closed (办结).
func (s Status) Closed() bool { return s == StatusRectified || s == StatusNotRectified }

// Key is the i18n key of the status's name.
func (s Status) Key() string { return "monitor.status." + string(s) }

// ActionKind is what an action did. Keyed as "monitor.action.<code>".
type ActionKind string

// Action kinds.
const (
	ActDetect            ActionKind = "detect"              // 发现（巡查或人工登记）
	ActPrompt            ActionKind = "prompt"              // 口头提示
	ActNotice            ActionKind = "notice"              // 发出流程监控通知书
	ActReply             ActionKind = "reply"               // 书面回复
	ActReportChief       ActionKind = "report_chief"        // 报告检察长
	ActEscalate          ActionKind = "escalate"            // 逾期未复，报告分管副检察长（系统）
	ActTransfer          ActionKind = "transfer"            // 移送检务督察/纪检
	ActCloseRectified    ActionKind = "close_rectified"     // 核查已整改，办结
	ActCloseNotRectified ActionKind = "close_not_rectified" // 未整改，办结
)

// ActionKinds lists every action kind.
func ActionKinds() []ActionKind {
	return []ActionKind{ActDetect, ActPrompt, ActNotice, ActReply, ActReportChief, ActEscalate, ActTransfer,
		ActCloseRectified, ActCloseNotRectified}
}

// Key is the i18n key of the action's name.
func (k ActionKind) Key() string { return "monitor.action." + string(k) }
