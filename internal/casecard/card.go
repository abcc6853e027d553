// Package casecard is the case card (案卡): the structured items of one case
// stage as the national case system records them, "whoever receives,
// handles, reviews or approves enters the data and answers for it". Cards
// come from two places: cases registered in anguan (projected by the store
// in the same transaction as every change) and spreadsheets exported from
// the national system (imported here). The data-quality rules of package
// dataquality read cards only, so they work the same on both.
//
// This package is pure: the column layout, parsing of CSV (UTF-8 or
// GB18030) and XLSX files, validation of every cell, and writing cards back
// out. It never touches the database.
package casecard

// Flag values of a yes/no item. Blank means the item was not filled, which
// is itself something the rules check (漏填), so flags are not booleans.
const (
	Yes = "是"
	No  = "否"
)

// Sources of a card.
const (
	SourceCase   = "case"   // projected from a case registered in anguan
	SourceImport = "import" // imported from a spreadsheet
)

// Card is one case card. Dates are ISO "2006-01-02" or "" when not filled;
// flags are Yes, No or "". Category is the category code (the file carries
// its Chinese name); Decision is the decision's Chinese name as the national
// system writes it (起诉, 批准逮捕, 不起诉…), so rule authors read and write
// the words they know.
type Card struct {
	ID        int64
	UnitID    int64
	UnitLevel int // 1 SPP … 4 base level; filled when cards are loaded for a scan
	Source    string
	CaseID    int64 // the anguan case, when Source is SourceCase

	StageNo           string // 部门受案号 (the key)
	UniformNo         string // 统一受案号
	Category          string // 案件类别 (code)
	Name              string // 案件名称
	Department        string // 承办部门
	Handler           string // 承办检察官
	HandlerID         int64  // the anguan user of that name in the unit, when one exists
	TransferringOrgan string // 移送单位
	Charges           string // 移送案由/罪名
	ReceivedOn        string // 受理日期
	SuspectName       string // 犯罪嫌疑人
	SuspectID         string // 证件号码
	Custody           string // 是否羁押
	Measure           string // 强制措施
	Plea              string // 认罪认罚
	PleaSignedOn      string // 具结书签署日期
	Sentencing        string // 量刑建议类型 (确定刑 / 幅度刑)
	SentencingAdopted string // 量刑建议采纳情况 (采纳 / 未采纳)
	FastTrack         string // 适用速裁程序
	Minor             string // 未成年人
	Returns           int    // 退回补充侦查次数
	Extensions        int    // 延长审查期限次数
	Decision          string // 处理决定
	DecidedOn         string // 决定日期
	DocNo             string // 决定文书文号
	ClosedOn          string // 办结日期
	EnteredOn         string // 填录日期
}

// Kind is how a column's cells are read and checked.
type Kind int

// Column kinds.
const (
	KindText     Kind = iota // free text, at most MaxText characters
	KindDate                 // a calendar date: 2026-03-04, 2026/3/4, 2026年3月4日 or an Excel serial
	KindFlag                 // 是 / 否 (also accepted: Y/N, 1/0, true/false)
	KindCount                // a whole number ≥ 0
	KindCategory             // a category's Chinese name or code
)

// MaxText is the longest text a cell may hold (characters).
const MaxText = 200

// Column is one item of the documented layout: the Chinese item name used
// as the header, the stable key used in rules and the API, how it is read,
// and whether a file must carry it.
type Column struct {
	Header   string
	Key      string
	Kind     Kind
	Required bool // the header must be present and every row must fill it
	Note     string
}

// Columns is the documented column layout, in template order. Headers are
// matched exactly (after trimming spaces); their order in a file is free.
// Only the stage number and the category are required at import: every
// other gap is a data-quality finding (漏填), not a reason to refuse the row.
var Columns = []Column{
	{Header: "部门受案号", Key: "stage_no", Kind: KindText, Required: true, Note: "唯一标识一张案卡，重复导入时据此更新"},
	{Header: "统一受案号", Key: "uniform_no", Kind: KindText, Note: "同一案件各阶段相同"},
	{Header: "案件类别", Key: "category", Kind: KindCategory, Required: true, Note: "如 审查逮捕、审查起诉、民事诉讼监督"},
	{Header: "案件名称", Key: "name", Kind: KindText},
	{Header: "承办部门", Key: "department", Kind: KindText},
	{Header: "承办检察官", Key: "handler", Kind: KindText, Note: "与本院用户姓名一致时，问题清单推送给该用户"},
	{Header: "移送单位", Key: "transferring_organ", Kind: KindText},
	{Header: "移送案由", Key: "charges", Kind: KindText, Note: "多个罪名用顿号分隔"},
	{Header: "受理日期", Key: "received_on", Kind: KindDate},
	{Header: "犯罪嫌疑人", Key: "suspect_name", Kind: KindText},
	{Header: "证件号码", Key: "suspect_id", Kind: KindText, Note: "居民身份证号码 18 位"},
	{Header: "是否羁押", Key: "custody", Kind: KindFlag},
	{Header: "强制措施", Key: "measure", Kind: KindText, Note: "拘留、逮捕、取保候审、监视居住、无"},
	{Header: "认罪认罚", Key: "plea", Kind: KindFlag},
	{Header: "具结书签署日期", Key: "plea_signed_on", Kind: KindDate},
	{Header: "量刑建议类型", Key: "sentencing", Kind: KindText, Note: "确定刑、幅度刑"},
	{Header: "量刑建议采纳情况", Key: "sentencing_adopted", Kind: KindText, Note: "采纳、未采纳"},
	{Header: "适用速裁程序", Key: "fast_track", Kind: KindFlag},
	{Header: "未成年人", Key: "minor", Kind: KindFlag},
	{Header: "退回补充侦查次数", Key: "returns", Kind: KindCount},
	{Header: "延长审查期限次数", Key: "extensions", Kind: KindCount},
	{Header: "处理决定", Key: "decision", Kind: KindText, Note: "如 起诉、不起诉、批准逮捕、不批准逮捕"},
	{Header: "决定日期", Key: "decided_on", Kind: KindDate},
	{Header: "决定文书文号", Key: "doc_no", Kind: KindText, Note: "如 疏检刑诉〔2026〕12号"},
	{Header: "办结日期", Key: "closed_on", Kind: KindDate},
	{Header: "填录日期", Key: "entered_on", Kind: KindDate, Note: "案卡填录完成的日期"},
}
