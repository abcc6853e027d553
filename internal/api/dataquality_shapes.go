package api

import (
	"math"
	"time"

	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
)

// JSON shapes of business-data supervision (业务数据监管). Codes (kind,
// severity, status, source, scan kind) are the domain's stable codes; the
// *_name fields carry their Chinese names for display. Card items are
// keyed by the column keys of the card layout (casecard.Columns), the
// same keys rules and corrections use.

// dqRuleJSON is one version of a data-quality rule.
type dqRuleJSON struct {
	ID           string   `json:"id"`
	Version      int      `json:"version"`
	Title        string   `json:"title"`
	Kind         string   `json:"kind"`
	KindName     string   `json:"kind_name"`
	Severity     string   `json:"severity"`
	SeverityName string   `json:"severity_name"`
	Categories   []string `json:"categories"`
	Sources      []string `json:"sources"`
	Item         string   `json:"item"`
	ItemName     string   `json:"item_name"`
	When         string   `json:"when"`
	Reference    string   `json:"reference"`
	Hint         string   `json:"hint"`
	FixDays      int      `json:"fix_days"`
	Disabled     bool     `json:"disabled"`
}

// dqRuleDetailJSON is the rule in use with every stored version, newest
// first (empty while the shipped library has not been stored yet).
type dqRuleDetailJSON struct {
	dqRuleJSON
	History []dqRuleJSON `json:"history"`
}

// dqRuleBody is what a rule request may set. The version is the service's
// to count; the id is the path's (PUT) or the new rule's (POST).
type dqRuleBody struct {
	Title      string   `json:"title"`
	Kind       string   `json:"kind"`
	Severity   string   `json:"severity"`
	Categories []string `json:"categories"`
	Sources    []string `json:"sources"`
	Item       string   `json:"item"`
	When       string   `json:"when"`
	Reference  string   `json:"reference"`
	Hint       string   `json:"hint"`
	FixDays    int      `json:"fix_days"`
	Disabled   bool     `json:"disabled"`
}

// dqRuleUpdateRequest replaces a rule's fields; version is the version
// the editor started from, so two administrators editing the same rule
// cannot silently overwrite each other.
type dqRuleUpdateRequest struct {
	Version int `json:"version"`
	dqRuleBody
}

// dqRuleCreateRequest adds a rule of the province's own (or a shipped id
// not stored yet).
type dqRuleCreateRequest struct {
	ID string `json:"id"`
	dqRuleBody
}

func (b dqRuleBody) rule(id string) dataquality.Rule {
	return dataquality.Rule{ID: id, Title: b.Title, Kind: b.Kind, Severity: b.Severity, Categories: b.Categories,
		Sources: b.Sources, Item: b.Item, When: b.When, Reference: b.Reference, Hint: b.Hint, FixDays: b.FixDays,
		Disabled: b.Disabled}
}

// dqScanJSON is one scan of the scan log.
type dqScanJSON struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	KindName      string    `json:"kind_name"`
	UnitID        *int64    `json:"unit_id"` // null: every unit (the nightly scan)
	StartedAt     time.Time `json:"started_at"`
	FinishedAt    time.Time `json:"finished_at"`
	Cards         int       `json:"cards"`
	Rules         int       `json:"rules"`
	Evaluations   int64     `json:"evaluations"`
	Hits          int       `json:"hits"`
	Opened        int       `json:"opened"`
	Fixed         int       `json:"fixed"`
	RuntimeErrors int       `json:"runtime_errors"`
}

// dqProblemJSON is one entry of the problem list (问题清单).
type dqProblemJSON struct {
	ID            int64   `json:"id"`
	CardID        int64   `json:"card_id"`
	UnitID        int64   `json:"unit_id"`
	UnitName      string  `json:"unit_name"`
	StageNo       string  `json:"stage_no"`
	CaseName      string  `json:"case_name"`
	Category      string  `json:"category"`
	CategoryName  string  `json:"category_name"`
	RuleID        string  `json:"rule_id"`
	RuleVersion   int     `json:"rule_version"`
	Title         string  `json:"title"`
	Hint          string  `json:"hint"`
	Kind          string  `json:"kind"`
	KindName      string  `json:"kind_name"`
	Severity      string  `json:"severity"`
	SeverityName  string  `json:"severity_name"`
	Item          string  `json:"item"`
	ItemName      string  `json:"item_name"`
	HandlerID     *int64  `json:"handler_id"`
	Handler       string  `json:"handler"`
	Department    string  `json:"department"`
	Status        string  `json:"status"`
	StatusName    string  `json:"status_name"`
	Overdue       bool    `json:"overdue"`
	DetectedOn    string  `json:"detected_on"`
	DueOn         string  `json:"due_on"`
	FixedOn       *string `json:"fixed_on"`
	WaivedBy      string  `json:"waived_by"`
	WaiveReason   string  `json:"waive_reason"`
	NotifiedMonth *string `json:"notified_month"`
	Version       int     `json:"version"`
}

// dqProblemDetailJSON is a problem with the rule as it is now and whether
// the caller may waive it.
type dqProblemDetailJSON struct {
	dqProblemJSON
	Rule     dqRuleJSON `json:"rule"`
	CanWaive bool       `json:"can_waive"`
}

// dqWaiveRequest waives an open problem at the version the caller saw.
type dqWaiveRequest struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// dqCardJSON is a case card: its items by column key, as stored (dates
// ISO or "", flags 是/否/"", counts in decimal, the category as its code).
type dqCardJSON struct {
	ID           int64             `json:"id"`
	UnitID       int64             `json:"unit_id"`
	Source       string            `json:"source"`
	SourceName   string            `json:"source_name"`
	CaseID       *int64            `json:"case_id"`
	HandlerID    *int64            `json:"handler_id"`
	CategoryName string            `json:"category_name"`
	Values       map[string]string `json:"values"`
}

// dqChangeJSON is one item changed on a card.
type dqChangeJSON struct {
	Key    string `json:"key"`
	Header string `json:"header"`
	Old    string `json:"old"`
	New    string `json:"new"`
}

// dqCardChangeJSON is one recorded change of a card: a re-import (with
// its import id) or a correction in anguan.
type dqCardChangeJSON struct {
	ID        int64          `json:"id"`
	ImportID  *int64         `json:"import_id"`
	Actor     string         `json:"actor"`
	Changes   []dqChangeJSON `json:"changes"`
	CreatedAt time.Time      `json:"created_at"`
}

// dqCardDetailJSON is a card with its problems and history.
type dqCardDetailJSON struct {
	dqCardJSON
	Version  int                `json:"version"`
	Editable bool               `json:"editable"`
	Problems []dqProblemJSON    `json:"problems"`
	History  []dqCardChangeJSON `json:"history"`
}

// dqCardRequest corrects items of an imported card; items not sent keep
// their value, an item sent as "" is cleared.
type dqCardRequest struct {
	Version int               `json:"version"`
	Values  map[string]string `json:"values"`
}

// dqCardSavedJSON is a correction's scan result and the card after it.
type dqCardSavedJSON struct {
	Opened int              `json:"opened"`
	Fixed  int              `json:"fixed"`
	Card   dqCardDetailJSON `json:"card"`
}

// dqCellErrorJSON is one problem of an uploaded file's cell: row is the
// row number the spreadsheet program shows.
type dqCellErrorJSON struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	ColumnKey string `json:"column_key"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Value     string `json:"value"`
}

// dqCardChangesJSON is what a re-import changes on one card.
type dqCardChangesJSON struct {
	Row     int            `json:"row"`
	StageNo string         `json:"stage_no"`
	Changes []dqChangeJSON `json:"changes"`
}

// dqPreviewHitJSON is a rule hit confirming the file would open.
type dqPreviewHitJSON struct {
	Row          int    `json:"row"`
	StageNo      string `json:"stage_no"`
	RuleID       string `json:"rule_id"`
	Title        string `json:"title"`
	Item         string `json:"item"`
	ItemName     string `json:"item_name"`
	Severity     string `json:"severity"`
	SeverityName string `json:"severity_name"`
	Kind         string `json:"kind"`
	KindName     string `json:"kind_name"`
}

// dqPreviewJSON is a validated upload: confirmable only when no row has
// an error, and then upload_id is what to confirm.
type dqPreviewJSON struct {
	UploadID    *int64              `json:"upload_id"`
	FileName    string              `json:"file_name"`
	Format      string              `json:"format"`
	SHA256      string              `json:"sha256"`
	Rows        int                 `json:"rows"`
	New         int                 `json:"new"`
	Updated     int                 `json:"updated"`
	Unchanged   int                 `json:"unchanged"`
	Errors      []dqCellErrorJSON   `json:"errors"`
	MoreErrors  int                 `json:"more_errors"`
	Changes     []dqCardChangesJSON `json:"changes"`
	Hits        []dqPreviewHitJSON  `json:"hits"`
	HitCount    int                 `json:"hit_count"`
	Confirmable bool                `json:"confirmable"`
}

// dqImportResultJSON is what a confirmed import did.
type dqImportResultJSON struct {
	ImportID  int64 `json:"import_id"`
	New       int   `json:"new"`
	Updated   int   `json:"updated"`
	Unchanged int   `json:"unchanged"`
	Hits      int   `json:"hits"`
	Opened    int   `json:"opened"`
	Fixed     int   `json:"fixed"`
}

// dqImportJSON is a past import.
type dqImportJSON struct {
	ID        int64     `json:"id"`
	FileName  string    `json:"file_name"`
	SHA256    string    `json:"sha256"`
	Format    string    `json:"format"`
	Rows      int       `json:"rows"`
	New       int       `json:"new"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Hits      int       `json:"hits"`
	Actor     string    `json:"actor"`
	CreatedAt time.Time `json:"created_at"`
}

// dqAccuracyRowJSON is one line of the accuracy report.
type dqAccuracyRowJSON struct {
	Key          string  `json:"key"`
	ID           *int64  `json:"id"`
	Cards        int     `json:"cards"`
	WithProblems int     `json:"with_problems"`
	Rate         float64 `json:"rate"`
}

type dqAccuracyJSON struct {
	By    string              `json:"by"`
	Items []dqAccuracyRowJSON `json:"items"`
}

// dqCountRowJSON counts the problems of one rule or kind by status.
type dqCountRowJSON struct {
	Key    string `json:"key"`
	Title  string `json:"title"`
	Open   int    `json:"open"`
	Fixed  int    `json:"fixed"`
	Waived int    `json:"waived"`
}

type dqCountsJSON struct {
	By    string           `json:"by"`
	Items []dqCountRowJSON `json:"items"`
}

// dqTrendRowJSON is the accuracy at the end of one week.
type dqTrendRowJSON struct {
	WeekEnding   string  `json:"week_ending"`
	Cards        int     `json:"cards"`
	WithProblems int     `json:"with_problems"`
	Rate         float64 `json:"rate"`
}

type dqTrendJSON struct {
	Weeks int              `json:"weeks"`
	Items []dqTrendRowJSON `json:"items"`
}

// dqNotificationJSON is the monthly notification list (通报数据清单): the
// problems open at the end of the month (or today, for this month).
type dqNotificationJSON struct {
	Month string          `json:"month"`
	AsOf  string          `json:"as_of"`
	Items []dqProblemJSON `json:"items"`
}

type dqNotificationRequest struct {
	Month string `json:"month"`
}

type dqPublishedJSON struct {
	Month    string `json:"month"`
	Notified int    `json:"notified"`
}

// dqLookBackJSON is the look-back (回头看) of a month's notification: the
// notified problems by status now, and the first of them.
type dqLookBackJSON struct {
	Month     string          `json:"month"`
	Open      int             `json:"open"`
	Fixed     int             `json:"fixed"`
	Waived    int             `json:"waived"`
	FixedRate float64         `json:"fixed_rate"`
	Items     []dqProblemJSON `json:"items"`
}

// columnByKey and columnByHeader name the card items.
var (
	columnByKey    = map[string]casecard.Column{}
	columnByHeader = map[string]casecard.Column{}
)

func init() {
	for _, c := range casecard.Columns {
		columnByKey[c.Key] = c
		columnByHeader[c.Header] = c
	}
}

// itemName is a column's Chinese header, or the key itself for a key the
// layout does not know (a stored rule naming a retired column).
func itemName(key string) string {
	if c, ok := columnByKey[key]; ok {
		return c.Header
	}
	return key
}

// percent rounds a rate to two decimals: the reports show whole tenths,
// and a client should not have to round 66.66666666666667.
func percent(f float64) float64 { return math.Round(f*100) / 100 }

// unixMilli converts the scan log's instants.
func unixMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// dqNames renders the display names of the domain's codes.
type dqNames struct {
	t     func(string, ...any) string
	vocab casecard.Vocabulary
	today string
}

func (n dqNames) rule(r dataquality.Rule) dqRuleJSON {
	return dqRuleJSON{ID: r.ID, Version: r.Version, Title: r.Title, Kind: r.Kind, KindName: n.t("dq_kind." + r.Kind),
		Severity: r.Severity, SeverityName: n.t("dq_severity." + r.Severity), Categories: nonNilStrings(r.Categories),
		Sources: nonNilStrings(r.Sources), Item: r.Item, ItemName: itemName(r.Item), When: r.When, Reference: r.Reference,
		Hint: r.Hint, FixDays: r.FixDays, Disabled: r.Disabled}
}

func (n dqNames) problem(p dataquality.Problem) dqProblemJSON {
	return dqProblemJSON{ID: p.ID, CardID: p.CardID, UnitID: p.UnitID, UnitName: p.UnitName, StageNo: p.StageNo,
		CaseName: p.CaseName, Category: p.Category, CategoryName: n.vocab.Name(p.Category), RuleID: p.RuleID,
		RuleVersion: p.RuleVersion, Title: p.Title, Hint: p.Hint, Kind: p.Kind, KindName: n.t("dq_kind." + p.Kind),
		Severity: p.Severity, SeverityName: n.t("dq_severity." + p.Severity), Item: p.Item, ItemName: itemName(p.Item),
		HandlerID: optionalID(p.HandlerID), Handler: p.Handler, Department: p.Department, Status: p.Status,
		StatusName: n.t("dq_status." + p.Status), Overdue: p.Overdue(n.today), DetectedOn: p.DetectedOn, DueOn: p.DueOn,
		FixedOn: optionalText(p.FixedOn), WaivedBy: p.WaivedBy, WaiveReason: p.WaiveReason,
		NotifiedMonth: optionalText(p.NotifiedMonth), Version: p.Version}
}

func (n dqNames) problems(ps []dataquality.Problem) []dqProblemJSON {
	out := make([]dqProblemJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, n.problem(p))
	}
	return out
}

func (n dqNames) card(c casecard.Card) dqCardJSON {
	values := make(map[string]string, len(casecard.Columns))
	for _, col := range casecard.Columns {
		values[col.Key] = c.Value(col.Key)
	}
	return dqCardJSON{ID: c.ID, UnitID: c.UnitID, Source: c.Source, SourceName: n.t("dq_source." + c.Source),
		CaseID: optionalID(c.CaseID), HandlerID: optionalID(c.HandlerID), CategoryName: n.vocab.Name(c.Category),
		Values: values}
}

func changesJSON(cs []casecard.Change) []dqChangeJSON {
	out := make([]dqChangeJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, dqChangeJSON{Key: c.Key, Header: c.Header, Old: c.Old, New: c.New})
	}
	return out
}

func (n dqNames) cardDetail(v dataquality.CardView) dqCardDetailJSON {
	out := dqCardDetailJSON{dqCardJSON: n.card(v.Card), Version: v.Version, Editable: v.Editable,
		Problems: n.problems(v.Problems), History: []dqCardChangeJSON{}}
	for _, h := range v.History {
		out.History = append(out.History, dqCardChangeJSON{ID: h.ID, ImportID: optionalID(h.ImportID), Actor: h.Actor,
			Changes: changesJSON(h.Changes), CreatedAt: h.CreatedAt.UTC()})
	}
	return out
}

func (n dqNames) scan(s dataquality.ScanRecord) dqScanJSON {
	return dqScanJSON{ID: s.ID, Kind: s.Kind, KindName: n.t("dq_scan." + s.Kind), UnitID: optionalID(s.UnitID),
		StartedAt: unixMilli(s.StartedAt), FinishedAt: unixMilli(s.FinishedAt), Cards: s.Cards, Rules: s.Rules,
		Evaluations: s.Evaluations, Hits: s.Hits, Opened: s.Opened, Fixed: s.Fixed, RuntimeErrors: s.RuntimeErrors}
}

func (n dqNames) cellError(e casecard.CellError) dqCellErrorJSON {
	return dqCellErrorJSON{Row: e.Row, Column: e.Column, ColumnKey: columnByHeader[e.Column].Key,
		Code: errCode(e.Key), Message: n.t(e.Key, e.Args...), Value: e.Value}
}

func (n dqNames) preview(pv dataquality.ImportPreview) dqPreviewJSON {
	out := dqPreviewJSON{UploadID: optionalID(pv.UploadID), FileName: pv.FileName, Format: pv.Format, SHA256: pv.SHA256,
		Rows: pv.Rows, New: pv.New, Updated: pv.Updated, Unchanged: pv.Unchanged, Errors: []dqCellErrorJSON{},
		MoreErrors: pv.MoreErrors, Changes: []dqCardChangesJSON{}, Hits: []dqPreviewHitJSON{}, HitCount: pv.HitCount,
		Confirmable: pv.Confirmable}
	for _, e := range pv.Errors {
		out.Errors = append(out.Errors, n.cellError(e))
	}
	for _, c := range pv.Changes {
		out.Changes = append(out.Changes, dqCardChangesJSON{Row: c.Row, StageNo: c.StageNo, Changes: changesJSON(c.Changes)})
	}
	for _, h := range pv.Hits {
		out.Hits = append(out.Hits, dqPreviewHitJSON{Row: h.Row, StageNo: h.StageNo, RuleID: h.RuleID, Title: h.Title,
			Item: h.Item, ItemName: itemName(h.Item), Severity: h.Severity, SeverityName: n.t("dq_severity." + h.Severity),
			Kind: h.Kind, KindName: n.t("dq_kind." + h.Kind)})
	}
	return out
}

func importResultJSON(r dataquality.ImportResult) dqImportResultJSON {
	return dqImportResultJSON{ImportID: r.ImportID, New: r.New, Updated: r.Updated, Unchanged: r.Unchanged, Hits: r.Hits,
		Opened: r.Opened, Fixed: r.Fixed}
}

func importJSON(i dataquality.ImportInfo) dqImportJSON {
	return dqImportJSON{ID: i.ID, FileName: i.FileName, SHA256: i.SHA256, Format: i.Format, Rows: i.Rows, New: i.New,
		Updated: i.Updated, Unchanged: i.Unchanged, Hits: i.Hits, Actor: i.Actor, CreatedAt: i.CreatedAt.UTC()}
}
