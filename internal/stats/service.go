package stats

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// UnitSel selects the records of one unit, or of it and every unit below it.
type UnitSel struct {
	UnitID  int64
	Subtree bool
}

// DrillTerm is one signed base measure of a drill-down; Keys restricts the
// keyed measure "events" to those "category:code" keys.
type DrillTerm struct {
	Measure string
	Sign    int
	Keys    []string
}

// UnitInfo is a unit of the organisation as statistics sees it.
type UnitInfo struct {
	ID       int64
	ParentID int64
	Name     string
	Path     string
}

// Store is everything the statistics service needs from persistence.
type Store interface {
	// StatsMeasureIDs lists the base measures the store has a query for.
	StatsMeasureIDs() []string
	StatsUnits(ctx context.Context) ([]UnitInfo, error)
	// StatsSharesTo lists the units that share their aggregates with
	// viewer.
	StatsSharesTo(ctx context.Context, viewer int64) ([]int64, error)
	// StatsSetShare adds (share) or removes a sharing, audited.
	StatsSetShare(ctx context.Context, owner, viewer int64, share bool, a audit.Record) error
	// StatsCachedSums sums the daily cache over the period by cache key
	// (a measure id, or "events:category:code").
	StatsCachedSums(ctx context.Context, sel UnitSel, p Period) (map[string]int64, error)
	// StatsCachedMonthly is StatsCachedSums per month ("2026-03").
	StatsCachedMonthly(ctx context.Context, sel UnitSel, p Period) (map[string]map[string]int64, error)
	// StatsScratchSums runs the measure queries over the records.
	StatsScratchSums(ctx context.Context, sel UnitSel, p Period) (map[string]int64, error)
	// StatsDrill lists the records behind a signed sum of base measures,
	// within scope, by record id after the cursor.
	StatsDrill(ctx context.Context, scope access.Scope, sel UnitSel, p Period, terms []DrillTerm, limit int,
		after string) ([]DrillRow, string, error)
	// StatsRefresh brings the cache up to date in one transaction with
	// one audit entry (none when nothing changed) and reports how many
	// unit-days it recomputed.
	StatsRefresh(ctx context.Context, a audit.Record) (int, error)
	// StatsRefreshedAt is when the cache was last brought up to date
	// (unix ms; 0 when never).
	StatsRefreshedAt(ctx context.Context) (int64, error)
	AppendAudit(ctx context.Context, a audit.Record) error
}

// Request carries who is asking and from where.
type Request struct {
	P         access.Principal
	Client    string
	RequestID string
}

func (r Request) record(action, objType, objID, detail string) audit.Record {
	return audit.Record{Actor: audit.ActorOf(r.P, r.Client, r.RequestID), Action: action, ObjectType: objType,
		ObjectID: objID, Result: audit.ResultOK, Detail: detail}
}

// Query asks for indicator values.
type Query struct {
	UnitIDs          []int64
	WithSubordinates bool
	Period           Period
	Indicators       []string // empty = every available indicator
}

// Value is one indicator over one unit and period. Value is a percent for
// rates and 件/案 for 案件比.
type Value struct {
	Indicator string  `json:"indicator"`
	Num       int64   `json:"num"`
	Den       int64   `json:"den"`
	Value     float64 `json:"value"`
	Defined   bool    `json:"defined"` // Den > 0
}

// UnitValues are the values of one unit (or subtree).
type UnitValues struct {
	UnitID   int64   `json:"unit_id"`
	UnitName string  `json:"unit_name"`
	Own      bool    `json:"own"` // within the caller's case scope: drillable
	Values   []Value `json:"values"`
}

// Point is one period of a trend.
type Point struct {
	Period Period `json:"period"`
	Value  Value  `json:"value"`
}

// Unit is a unit whose aggregates the caller may see.
type Unit struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Own  bool   `json:"own"` // within the caller's case scope: drillable
	// Shared: visible because the unit shares its aggregates with the
	// caller's unit.
	Shared bool   `json:"shared"`
	Path   string `json:"-"`
}

// DrillQuery asks for the records behind a measure.
type DrillQuery struct {
	UnitID           int64
	WithSubordinates bool
	Period           Period
	Measure          string
	Limit            int
	After            string
}

// DrillRow is one record behind a number: a case, or a case card for the
// card measures (CardID set; CaseID 0 for a card imported from the
// national system). Count is what the record adds to the number (persons,
// events or 1); the rows' Counts sum to the number, less sealed records
// hidden from the caller.
type DrillRow struct {
	CaseID      int64  `json:"case_id"`
	CardID      int64  `json:"card_id,omitempty"`
	StageNo     string `json:"stage_no"`
	Name        string `json:"name"`
	Category    string `json:"category"` // category name
	ReceivedOn  string `json:"received_on"`
	ClosedOn    string `json:"closed_on"`
	Decision    string `json:"decision"` // decision code (i18n "outcome.<code>"); a card's own word
	Persons     int    `json:"persons"`  // suspects of the case
	HandlerName string `json:"handler_name"`
	UnitName    string `json:"unit_name"`
	Count       int64  `json:"count"`
}

// Diff is one cache key where the cache and a computation from scratch
// disagree.
type Diff struct {
	UnitID  int64  `json:"unit_id"`
	Key     string `json:"key"`
	Cached  int64  `json:"cached"`
	Scratch int64  `json:"scratch"`
	Period  Period `json:"period"`
}

// Limits.
const (
	MaxUnits      = 200
	MaxTrend      = 36
	DefaultDrill  = 50
	MaxDrill      = 500
	objStats      = "stats"
	actionDrill   = "stats.drill"
	actionRefresh = "stats.refresh"
	actionShare   = "stats.share"
)

// Service computes indicators.
type Service struct {
	store    Store
	now      func() time.Time
	cat      Catalogue
	measures map[string]Measure
	inds     map[string]Indicator
	memo     memo
}

// NewService checks the catalogue against the store's queries.
func NewService(st Store, now func() time.Time) (*Service, error) {
	cat, err := DefaultCatalogue()
	if err != nil {
		return nil, err
	}
	cat.prepare()
	have := st.StatsMeasureIDs()
	for _, id := range BaseMeasures() {
		if !slices.Contains(have, id) {
			return nil, fmt.Errorf("stats: the store has no query for measure %s", id)
		}
	}
	if now == nil {
		now = time.Now
	}
	s := &Service{store: st, now: now, cat: cat, measures: map[string]Measure{}, inds: map[string]Indicator{}}
	for _, m := range cat.Measures {
		s.measures[m.ID] = m
	}
	for _, in := range cat.Indicators {
		s.inds[in.ID] = in
	}
	return s, nil
}

// Catalogue is the catalogue in use.
func (s *Service) Catalogue() Catalogue { return s.cat }

// RefreshedAt is when the cache was last brought up to date (zero time
// when never): pages show it as "数据截至".
func (s *Service) RefreshedAt(ctx context.Context) (time.Time, error) {
	ms, err := s.store.StatsRefreshedAt(ctx)
	if err != nil || ms == 0 {
		return time.Time{}, err
	}
	return time.UnixMilli(ms), nil
}

// measureValue evaluates measure id over cache-keyed sums.
func (s *Service) measureValue(id string, sums map[string]int64) int64 {
	m := s.measures[id]
	if !m.Composite() {
		if id != MeasureEvents {
			return sums[id]
		}
		var n int64
		for k, v := range sums {
			if strings.HasPrefix(k, MeasureEvents+":") {
				n += v
			}
		}
		return n
	}
	var n int64
	for _, t := range m.Terms {
		var v int64
		if t.Procedures {
			for _, k := range s.cat.EventKeys() {
				v += sums[MeasureEvents+":"+k]
			}
		} else {
			v = s.measureValue(t.Measure, sums)
		}
		n += int64(t.Sign) * v
	}
	return n
}

// value computes one indicator over sums.
func (s *Service) value(in Indicator, sums map[string]int64) Value {
	v := Value{Indicator: in.ID, Num: s.measureValue(in.Numerator, sums), Den: s.measureValue(in.Denominator, sums)}
	if v.Den > 0 {
		v.Defined = true
		v.Value = float64(v.Num) / float64(v.Den)
		if in.Kind == KindRate {
			v.Value *= 100
		}
	}
	return v
}

// indicators resolves the requested ids (empty: every available one).
func (s *Service) indicators(ids []string) ([]Indicator, error) {
	if len(ids) == 0 {
		var out []Indicator
		for _, in := range s.cat.Indicators {
			if in.Available {
				out = append(out, in)
			}
		}
		return out, nil
	}
	v := &apperr.Validation{}
	var out []Indicator
	for i, id := range ids {
		in, ok := s.inds[id]
		switch {
		case !ok:
			v.Add(fmt.Sprintf("indicators[%d]", i), "err.stats_indicator_unknown", id)
		case !in.Available:
			v.Add(fmt.Sprintf("indicators[%d]", i), "err.stats_indicator_unavailable", in.Name)
		default:
			out = append(out, in)
		}
	}
	return out, v.Err()
}

// Peers lists the units whose aggregates r may see: its own unit; for
// upper supervisors and the chief, the units below it; units sharing with
// its unit. Administrators see none (no business data by the admin role).
func (s *Service) Peers(ctx context.Context, r Request) ([]Unit, error) {
	vis, err := s.visible(ctx, r.P)
	if err != nil {
		return nil, err
	}
	out := make([]Unit, 0, len(vis.vis))
	for _, u := range vis.vis {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b Unit) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// aggregateRoles may read aggregates.
var aggregateRoles = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
	access.Chief, access.UpperSupervisor, access.AidPartner}

func inScope(sc access.Scope, u UnitInfo) bool {
	if sc.None() {
		return false
	}
	if sc.UnitID != 0 {
		return u.ID == sc.UnitID
	}
	return strings.HasPrefix(u.Path, sc.UnitPathPrefix)
}

// visibility is what a principal may see of the organisation.
type visibility struct {
	units []UnitInfo
	vis   map[int64]Unit
}

func (s *Service) visible(ctx context.Context, p access.Principal) (visibility, error) {
	if !p.HasAny(aggregateRoles...) || p.UnitID == 0 {
		return visibility{}, apperr.ErrForbidden
	}
	units, err := s.store.StatsUnits(ctx)
	if err != nil {
		return visibility{}, err
	}
	shares, err := s.store.StatsSharesTo(ctx, p.UnitID)
	if err != nil {
		return visibility{}, err
	}
	sc := access.CaseScope(p)
	subtree := p.HasAny(access.UpperSupervisor, access.Chief)
	out := map[int64]Unit{}
	for _, u := range units {
		own := u.ID == p.UnitID || (subtree && access.InUnitTree(u.Path, p.UnitPath))
		shared := slices.Contains(shares, u.ID)
		if own || shared {
			out[u.ID] = Unit{ID: u.ID, Name: u.Name, Own: inScope(sc, u), Shared: shared && !own, Path: u.Path}
		}
	}
	return visibility{units: units, vis: out}, nil
}

// selection checks that the caller may see unit and, withSub, every unit
// below it: a shared unit's subordinates are not shared by it.
func (v visibility) selection(unitID int64, withSub bool) (Unit, error) {
	u, ok := v.vis[unitID]
	if !ok {
		return Unit{}, fmt.Errorf("stats: unit %d not visible: %w", unitID, apperr.ErrForbidden)
	}
	if withSub {
		for _, x := range v.units {
			if _, ok := v.vis[x.ID]; !ok && strings.HasPrefix(x.Path, u.Path) {
				return Unit{}, fmt.Errorf("stats: unit %d below %d not visible: %w", x.ID, u.ID, apperr.ErrForbidden)
			}
		}
	}
	return u, nil
}

// ensureCache fills the cache on first use, so a fresh installation
// shows numbers before the refresh job first runs.
// It returns the refresh stamp the cache is at (the memo's key).
func (s *Service) ensureCache(ctx context.Context) (int64, error) {
	at, err := s.store.StatsRefreshedAt(ctx)
	if err != nil || at != 0 {
		return at, err
	}
	if _, err = s.Refresh(ctx); err != nil {
		return 0, err
	}
	return s.store.StatsRefreshedAt(ctx)
}

// Values computes indicators for each unit of q over its period, from the
// cache.
func (s *Service) Values(ctx context.Context, r Request, q Query) ([]UnitValues, error) {
	return s.values(ctx, r, q, true)
}

// Scratch is Values computed from the records instead of the cache, for
// the units r may see (the check a page may offer next to a number).
func (s *Service) Scratch(ctx context.Context, r Request, q Query) ([]UnitValues, error) {
	return s.values(ctx, r, q, false)
}

// values computes q from the cache or, when cached is false, straight
// from the records with the same measure definitions.
func (s *Service) values(ctx context.Context, r Request, q Query, cached bool) ([]UnitValues, error) {
	if err := q.Period.Validate(); err != nil {
		return nil, err
	}
	inds, err := s.indicators(q.Indicators)
	if err != nil {
		return nil, err
	}
	if len(q.UnitIDs) == 0 {
		q.UnitIDs = []int64{r.P.UnitID}
	}
	if len(q.UnitIDs) > MaxUnits {
		return nil, apperr.Invalid("units", "err.stats_units_many", MaxUnits)
	}
	vis, err := s.visible(ctx, r.P)
	if err != nil {
		return nil, err
	}
	sumsOf := s.store.StatsScratchSums
	if cached {
		at, err := s.ensureCache(ctx)
		if err != nil {
			return nil, err
		}
		sumsOf = func(ctx context.Context, sel UnitSel, p Period) (map[string]int64, error) {
			return s.cachedSums(ctx, at, sel, p)
		}
	}
	out := make([]UnitValues, 0, len(q.UnitIDs))
	for _, id := range q.UnitIDs {
		u, err := vis.selection(id, q.WithSubordinates)
		if err != nil {
			return nil, err
		}
		sums, err := sumsOf(ctx, UnitSel{UnitID: id, Subtree: q.WithSubordinates}, q.Period)
		if err != nil {
			return nil, err
		}
		uv := UnitValues{UnitID: id, UnitName: u.Name, Own: u.Own}
		for _, in := range inds {
			uv.Values = append(uv.Values, s.value(in, sums))
		}
		out = append(out, uv)
	}
	return out, nil
}

// Month is the current month (YYYY-MM) in the legal time zone, the
// default month of the monthly report.
func (s *Service) Month() string { return s.today().Format("2006-01") }

// today is the legal date (Asia/Shanghai).
func (s *Service) today() time.Time {
	t := s.now().In(chinaTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

var chinaTime = time.FixedZone("CST", 8*3600)

// Trend is one indicator over the last months, oldest first, ending with
// the current month (to date).
func (s *Service) Trend(ctx context.Context, r Request, unitID int64, withSub bool, indicator string, months int) ([]Point, error) {
	return s.trendTo(ctx, r, unitID, withSub, indicator, months, monthOf(s.today()))
}

// trendTo is Trend ending with the month last: the monthly report looks
// back from the month it reports on, with Trend's checks.
func (s *Service) trendTo(ctx context.Context, r Request, unitID int64, withSub bool, indicator string, months int,
	last Period) ([]Point, error) {
	if months < 1 || months > MaxTrend {
		return nil, apperr.Invalid("months", "err.stats_months", 1, MaxTrend)
	}
	inds, err := s.indicators([]string{indicator})
	if err != nil {
		return nil, err
	}
	vis, err := s.visible(ctx, r.P)
	if err != nil {
		return nil, err
	}
	if _, err := vis.selection(unitID, withSub); err != nil {
		return nil, err
	}
	at, err := s.ensureCache(ctx)
	if err != nil {
		return nil, err
	}
	first, _ := time.Parse(time.DateOnly, last.From)
	first = first.AddDate(0, -(months - 1), 0)
	all := Period{From: first.Format(time.DateOnly), To: last.To}
	byMonth, err := s.cachedMonthly(ctx, at, UnitSel{UnitID: unitID, Subtree: withSub}, all)
	if err != nil {
		return nil, err
	}
	out := make([]Point, 0, months)
	for i := range months {
		m := monthOf(first.AddDate(0, i, 0))
		out = append(out, Point{Period: m, Value: s.value(inds[0], byMonth[m.From[:7]])})
	}
	return out, nil
}

// terms expands a measure into signed base measures.
func (s *Service) terms(id string, sign int) []DrillTerm {
	m := s.measures[id]
	if !m.Composite() {
		return []DrillTerm{{Measure: id, Sign: sign}}
	}
	var out []DrillTerm
	for _, t := range m.Terms {
		if t.Procedures {
			out = append(out, DrillTerm{Measure: MeasureEvents, Sign: sign * t.Sign, Keys: s.cat.EventKeys()})
			continue
		}
		out = append(out, s.terms(t.Measure, sign*t.Sign)...)
	}
	return out
}

// DrillDown lists the records behind a measure (a numerator or
// denominator) of a unit the caller may open cases of. Case names are
// personal data, so every drill-down is audited.
func (s *Service) DrillDown(ctx context.Context, r Request, q DrillQuery) ([]DrillRow, string, error) {
	if _, ok := s.measures[q.Measure]; !ok {
		return nil, "", apperr.Invalid("measure", "err.stats_measure_unknown", q.Measure)
	}
	if err := q.Period.Validate(); err != nil {
		return nil, "", err
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultDrill
	case q.Limit < 0 || q.Limit > MaxDrill:
		return nil, "", apperr.Invalid("limit", "err.stats_limit", 1, MaxDrill)
	}
	sc := access.CaseScope(r.P)
	if sc.None() {
		return nil, "", apperr.ErrForbidden
	}
	units, err := s.store.StatsUnits(ctx)
	if err != nil {
		return nil, "", err
	}
	var unit *UnitInfo
	for i := range units {
		if units[i].ID == q.UnitID {
			unit = &units[i]
		}
	}
	// Another unit's records are never listed, whatever it shares: the
	// same answer as for a unit that does not exist.
	if unit == nil || !inScope(sc, *unit) {
		return nil, "", fmt.Errorf("stats: drill into unit %d: %w", q.UnitID, apperr.ErrNotFound)
	}
	rows, next, err := s.store.StatsDrill(ctx, sc, UnitSel{UnitID: q.UnitID, Subtree: q.WithSubordinates}, q.Period,
		s.terms(q.Measure, 1), q.Limit, q.After)
	if err != nil {
		return nil, "", err
	}
	detail := fmt.Sprintf("measure=%s unit=%d sub=%t period=%s rows=%d", q.Measure, q.UnitID, q.WithSubordinates,
		q.Period.Label(), len(rows))
	if err := s.store.AppendAudit(ctx, r.record(actionDrill, objStats, q.Measure, detail)); err != nil {
		return nil, "", err
	}
	return rows, next, nil
}

// Refresh brings the daily cache up to date (the refresh job) and reports
// how many unit-days it recomputed.
func (s *Service) Refresh(ctx context.Context) (int, error) {
	rec := audit.Record{Actor: audit.System("stats"), Action: actionRefresh, ObjectType: objStats, Result: audit.ResultOK}
	return s.store.StatsRefresh(ctx, rec)
}

// Verify compares the cache with a computation from scratch for each unit
// (every unit when unitIDs is empty; each unit alone) over p, key by key.
func (s *Service) Verify(ctx context.Context, unitIDs []int64, p Period) ([]Diff, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(unitIDs) == 0 {
		units, err := s.store.StatsUnits(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			unitIDs = append(unitIDs, u.ID)
		}
	}
	var out []Diff
	for _, id := range unitIDs {
		sel := UnitSel{UnitID: id}
		cached, err := s.store.StatsCachedSums(ctx, sel, p)
		if err != nil {
			return nil, err
		}
		scratch, err := s.store.StatsScratchSums(ctx, sel, p)
		if err != nil {
			return nil, err
		}
		keys := map[string]bool{}
		for k := range cached {
			keys[k] = true
		}
		for k := range scratch {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			if cached[k] != scratch[k] {
				out = append(out, Diff{UnitID: id, Key: k, Cached: cached[k], Scratch: scratch[k], Period: p})
			}
		}
	}
	return out, nil
}

// CanShare reports whether p may decide what unitID shares: its chief and
// its case management office.
func CanShare(p access.Principal, unitID int64) bool {
	return p.UnitID == unitID && p.HasAny(access.Chief, access.CaseManager)
}

// SetShare makes owner's aggregates visible to viewer (or stops it).
func (s *Service) SetShare(ctx context.Context, r Request, owner, viewer int64, share bool) error {
	if !CanShare(r.P, owner) {
		return apperr.ErrForbidden
	}
	if owner == viewer {
		return apperr.Invalid("viewer", "err.stats_share_self")
	}
	units, err := s.store.StatsUnits(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(units, func(u UnitInfo) bool { return u.ID == viewer }) {
		return apperr.Invalid("viewer", "err.stats_unit_unknown")
	}
	detail := "viewer=" + strconv.FormatInt(viewer, 10) + " share=" + strconv.FormatBool(share)
	return s.store.StatsSetShare(ctx, owner, viewer, share,
		r.record(actionShare, "unit", strconv.FormatInt(owner, 10), detail))
}
