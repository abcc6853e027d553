// Package dataquality is business-data supervision (业务数据监管): a library
// of declarative data-quality rules over case cards, scans that turn rule
// hits into a problem list (问题清单) pushed to each handler, automatic
// closing of a problem when the card is corrected, waivers, and the reports
// (accuracy per unit, department and handler; the monthly notification
// list; the look-back of notified items).
//
// Rules are data so the knowledge survives the people (DOMAIN §8): each has
// an id, a title, a kind, a severity, the categories it applies to, a check
// written in a small safe expression language (github.com/expr-lang/expr,
// compiled once, no access to anything but the card, its related cards and
// a few pure helpers), the legal or filling-standard reference and a hint.
package dataquality

// Kinds of problem (错误类型), DOMAIN §8.
const (
	KindWrong        = "wrong"        // 错填
	KindMissing      = "missing"      // 漏填
	KindLate         = "late"         // 迟填
	KindInconsistent = "inconsistent" // 不一致 (between related cards)
	KindDocument     = "document"     // 文书不符 (card vs document)
	KindDuplicate    = "duplicate"    // 重复
	KindLogic        = "logic"        // 逻辑 (cross-table logic)
)

// Kinds lists the kinds in display order.
var Kinds = []string{KindWrong, KindMissing, KindLate, KindInconsistent, KindDocument, KindDuplicate, KindLogic}

// Severities.
const (
	SeverityMajor  = "major"  // 严重: feeds a published indicator or a statutory limit
	SeverityNormal = "normal" // 一般
	SeverityMinor  = "minor"  // 轻微
)

// Severities lists the severities from the most serious.
var Severities = []string{SeverityMajor, SeverityNormal, SeverityMinor}

// Rule is one data-quality rule. When is an expression that is true when the
// card is wrong (a hit); it sees `card`, `related` (the other cards with the
// same unified case number) and `today` (ISO date), plus the helpers listed
// in Functions. Categories and Sources narrow where the rule applies (empty:
// everywhere). Item names the card item to correct (a column key).
type Rule struct {
	ID         string   `json:"id"`
	Version    int      `json:"version"`
	Title      string   `json:"title"`
	Kind       string   `json:"kind"`
	Severity   string   `json:"severity"`
	Categories []string `json:"categories,omitempty"`
	// Sources limits a rule to cards of these sources, for items that
	// anguan's own case form does not collect (the sentencing
	// recommendation, for instance): checking them on projected cards
	// would report anguan's gaps as the handler's.
	Sources   []string `json:"sources,omitempty"`
	Item      string   `json:"item"`
	When      string   `json:"when"`
	Reference string   `json:"reference"`
	Hint      string   `json:"hint"`
	// FixDays is how many working days the handler has to correct a hit.
	FixDays  int  `json:"fix_days"`
	Disabled bool `json:"disabled,omitempty"`
}
