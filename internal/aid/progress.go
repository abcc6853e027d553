package aid

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Progress of a pairing's goals, per aided unit, as of a date, computed
// from the records each time (DOMAIN §1; goals.go defines the goals):
//
//   - levels as of an instant are rebuilt from the level changes: each
//     confirmed proposal at its decision time and each current level at
//     its last change (before the first change of an area, the level that
//     change started from; with none, trainee). People are counted as
//     they are now: the users table keeps no date of leaving, so a person
//     disabled today drops out of past quarters too — a known limit;
//   - goal (2) reads the indicators of the quarter to the as-of date from
//     the statistics cache, which covers any past period;
//   - goal (3) reads dated records: the audit log's board views, the
//     notices' reply and due dates, the evaluation activities' creation
//     dates, and card accuracy as AidDataWork rebuilds it at an instant.
//
// So every measure is rebuilt as of any past date and no snapshot table
// is needed.

// IndicatorInfo describes an indicator for goal (2).
type IndicatorInfo struct {
	ID        string
	Name      string
	Direction string // "up", "down" or "range"
	Kind      string // "rate" or "ratio"
}

// IndicatorValue is one unit's figure; Defined is false without a
// denominator.
type IndicatorValue struct {
	Value   float64
	Defined bool
}

// Indicators is what goal (2) needs from the statistics service. It
// computes aggregates of units without a caller's visibility: the aid
// service shows an office only its own position, never a peer's figure.
type Indicators interface {
	IndicatorInfo(id string) (IndicatorInfo, bool)
	// UnitValues computes the indicators of each unit alone over the
	// legal dates from–to (inclusive).
	UnitValues(ctx context.Context, unitIDs []int64, from, to string, ids []string) (map[int64]map[string]IndicatorValue, error)
}

// SetIndicators wires goal (2) to the statistics service (server wiring;
// without it goal (2) has no figures).
func (s *Service) SetIndicators(ind Indicators) { s.ind = ind }

// SetWorkingDays wires the working-day calendar goal (3) counts board
// days on (without it Monday to Friday).
func (s *Service) SetWorkingDays(isWorking func(day string) bool) { s.workday = isWorking }

func (s *Service) indicator(id string) (IndicatorInfo, bool) {
	if s.ind == nil {
		return IndicatorInfo{}, false
	}
	return s.ind.IndicatorInfo(id)
}

func (s *Service) isWorkingDay(day string) bool {
	if s.workday != nil {
		return s.workday(day)
	}
	t, err := time.Parse(time.DateOnly, day)
	return err == nil && t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
}

// LevelChange is one change of a person's level in an area: From is ""
// for a current level (known only from its last change).
type LevelChange struct {
	UserID int64
	Area   string
	From   string
	To     string
	At     int64
	Reason string // only when recording history (AddAidLevelHistory)
}

// ProgressStore reads the dated records the measures come from.
type ProgressStore interface {
	// AidLevelChanges lists the level changes of the enabled staff of the
	// units, oldest first.
	AidLevelChanges(ctx context.Context, unitIDs []int64) ([]LevelChange, error)
	// AidBoardDays lists the legal dates on which staff of the unit
	// opened the deadline board, between the instants from (inclusive)
	// and to (exclusive).
	AidBoardDays(ctx context.Context, unitID, from, to int64) ([]string, error)
	// AidNoticeReplies counts the unit's monitoring notices whose reply
	// was due within the dates from–to, and those answered by their due
	// date.
	AidNoticeReplies(ctx context.Context, unitID int64, from, to string) (due, onTime int, err error)
	// AidEvaluations counts the evaluation activities the unit created
	// within the dates from–to.
	AidEvaluations(ctx context.Context, unitID int64, from, to string) (int, error)
}

// StaffMeasure is goal (1) of a unit.
type StaffMeasure struct {
	Count  int      `json:"count"`
	Target int      `json:"target"`
	Names  []string `json:"names"`
}

// Met reports whether the target is reached.
func (m StaffMeasure) Met() bool { return m.Count >= m.Target }

// IndicatorPosition is a unit's position on one indicator of goal (2):
// Rank among Of units with a figure (itself included); Cutoff is the
// last position in the upper-middle.
type IndicatorPosition struct {
	Indicator string `json:"indicator"`
	Name      string `json:"name"`
	Defined   bool   `json:"defined"`
	Rank      int    `json:"rank"`
	Of        int    `json:"of"`
	Cutoff    int    `json:"cutoff"`
	Upper     bool   `json:"upper_middle"`
}

// PositionMeasure is goal (2) of a unit over Period (the quarter to the
// as-of date).
type PositionMeasure struct {
	From       string              `json:"from"`
	To         string              `json:"to"`
	Peers      int                 `json:"peers"`
	Indicators []IndicatorPosition `json:"indicators"`
	InUpper    int                 `json:"in_upper_middle"`
	Defined    int                 `json:"with_figure"`
}

// Met reports whether the unit is in the upper-middle on every indicator
// with a figure, and there is at least one.
func (m PositionMeasure) Met() bool { return m.Defined > 0 && m.InUpper == m.Defined }

// CheckResult is one checklist item of goal (3): Value against
// Threshold (percent, or a count for evaluation); Defined is false when
// there was nothing to measure (no working day, no notice due, no card).
type CheckResult struct {
	Code      string  `json:"code"`
	Threshold int     `json:"threshold"`
	Value     float64 `json:"value"`
	Defined   bool    `json:"defined"`
	Num       int     `json:"num"`
	Den       int     `json:"den"`
	Met       bool    `json:"met"`
}

// InfoMeasure is goal (3) of a unit over the window From–To.
type InfoMeasure struct {
	From  string        `json:"from"`
	To    string        `json:"to"`
	Items []CheckResult `json:"items"`
	Count int           `json:"met_count"`
}

// Met reports whether every item is met.
func (m InfoMeasure) Met() bool { return len(m.Items) > 0 && m.Count == len(m.Items) }

// LevelCount is the staff at one level of goal (4).
type LevelCount struct {
	Level string `json:"level"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// EchelonMeasure is goal (4) of a unit.
type EchelonMeasure struct {
	Levels      []LevelCount `json:"levels"`
	MinPerLevel int          `json:"min_per_level"`
	Filled      int          `json:"filled"`
}

// Met reports whether no level is short.
func (m EchelonMeasure) Met() bool { return len(m.Levels) > 0 && m.Filled == len(m.Levels) }

// Measures are the four goals of one unit as of one date.
type Measures struct {
	AsOf     string          `json:"as_of"`
	Label    string          `json:"label"`
	Staff    StaffMeasure    `json:"staff"`
	Position PositionMeasure `json:"position"`
	Info     InfoMeasure     `json:"informatization"`
	Echelon  EchelonMeasure  `json:"echelon"`
}

// Value is goal code's headline figure: staff counted, indicators in the
// upper-middle, checklist items met, levels filled.
func (m Measures) Value(code string) int {
	switch code {
	case GoalStaff:
		return m.Staff.Count
	case GoalPosition:
		return m.Position.InUpper
	case GoalInfo:
		return m.Info.Count
	default:
		return m.Echelon.Filled
	}
}

// Met reports whether goal code is met.
func (m Measures) Met(code string) bool {
	switch code {
	case GoalStaff:
		return m.Staff.Met()
	case GoalPosition:
		return m.Position.Met()
	case GoalInfo:
		return m.Info.Met()
	default:
		return m.Echelon.Met()
	}
}

// UnitProgress is one aided unit's goals: Points oldest first, the last
// being the as-of date itself.
type UnitProgress struct {
	Unit   Unit       `json:"unit"`
	Points []Measures `json:"points"`
}

// Current is the latest point.
func (u UnitProgress) Current() Measures { return u.Points[len(u.Points)-1] }

// Progress is a pairing's goals with their measures and trend.
type Progress struct {
	Pairing   Pairing
	Framework Framework
	Settings  GoalSettings
	Info      map[string]IndicatorInfo
	AsOf      string
	Units     []UnitProgress
}

// TrendQuarters is how many quarter ends before the as-of date the trend
// shows.
const TrendQuarters = 4

// Quarter is a calendar quarter.
type Quarter struct {
	Year, Q int
}

var reQuarter = regexp.MustCompile(`^(\d{4})-?Q([1-4])$`)

// ParseQuarter reads "2026Q3" (or "2026-Q3").
func ParseQuarter(s string) (Quarter, error) {
	m := reQuarter.FindStringSubmatch(s)
	if m == nil {
		return Quarter{}, invalid("quarter", "err.aid_quarter_invalid")
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	if y < 2000 || y > 2100 {
		return Quarter{}, invalid("quarter", "err.aid_quarter_invalid")
	}
	return Quarter{y, q}, nil
}

// QuarterOf is the quarter of a legal date.
func QuarterOf(day string) Quarter {
	t, _ := time.Parse(time.DateOnly, day)
	return Quarter{t.Year(), (int(t.Month())-1)/3 + 1}
}

func (q Quarter) String() string { return fmt.Sprintf("%dQ%d", q.Year, q.Q) }

// First is the quarter's first day.
func (q Quarter) First() string {
	return time.Date(q.Year, time.Month(3*q.Q-2), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Last is the quarter's last day.
func (q Quarter) Last() string {
	return time.Date(q.Year, time.Month(3*q.Q+1), 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Prev is the quarter before.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{q.Year - 1, 4}
	}
	return Quarter{q.Year, q.Q - 1}
}

// endOfDay is the last instant (ms) of a legal date.
func endOfDay(day string) int64 {
	t, _ := time.ParseInLocation(time.DateOnly, day, cst)
	return t.AddDate(0, 0, 1).UnixMilli() - 1
}

func addDays(day string, n int) string {
	t, _ := time.Parse(time.DateOnly, day)
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// trendDates are the as-of dates of a trend ending at asOf: the ends of
// the TrendQuarters quarters before asOf's, then asOf.
func trendDates(asOf string) []string {
	out := []string{asOf}
	q := QuarterOf(asOf).Prev()
	for range TrendQuarters {
		out = append(out, q.Last())
		q = q.Prev()
	}
	slices.Reverse(out)
	return out
}

// ProgressView computes the pairing's goals as of today with their trend
// over the last quarters, audited (it reads other units' aggregates).
func (s *Service) ProgressView(ctx context.Context, r Request, pairingID int64) (Progress, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Progress{}, err
	}
	p, err := s.progress(ctx, pr, s.Today(), s.now().UnixMilli())
	if err != nil {
		return Progress{}, err
	}
	if err := s.audited(ctx, r, "aid.progress.view", pairingID, "as_of="+p.AsOf); err != nil {
		return Progress{}, err
	}
	return p, nil
}

// progress computes the goals of every aided unit at each trend date up
// to asOf; nowMS is the as-of instant when asOf is today (the instants of
// the earlier dates are their ends of day).
func (s *Service) progress(ctx context.Context, pr Pairing, asOf string, nowMS int64) (Progress, error) {
	p := Progress{Pairing: pr, AsOf: asOf, Info: map[string]IndicatorInfo{}}
	var err error
	if p.Settings, err = s.goalSettings(ctx, pr); err != nil {
		return p, err
	}
	if p.Framework, err = s.store.AidFramework(ctx); err != nil {
		return p, err
	}
	for _, id := range p.Settings.Position.Indicators {
		if info, ok := s.indicator(id); ok {
			p.Info[id] = info
		}
	}
	ids := unitIDs(pr.Aided)
	staff, err := s.store.AidStaff(ctx, ids)
	if err != nil {
		return p, err
	}
	changes, err := s.store.AidLevelChanges(ctx, ids)
	if err != nil {
		return p, err
	}
	h := newHistory(changes)
	dates := trendDates(asOf)
	for _, u := range pr.Aided {
		p.Units = append(p.Units, UnitProgress{Unit: u})
	}
	for _, day := range dates {
		at := endOfDay(day)
		if day == s.Today() && nowMS < at {
			at = nowMS
		}
		pos, err := s.positions(ctx, pr, p, day)
		if err != nil {
			return p, err
		}
		for i, u := range pr.Aided {
			m := Measures{AsOf: day, Label: QuarterOf(day).String(), Position: pos[u.ID]}
			if day == asOf {
				m.Label = day
			}
			m.Staff, m.Echelon = p.levelMeasures(staff, h, u.ID, at)
			if m.Info, err = s.infoMeasure(ctx, p.Settings.Info, u.ID, day, at); err != nil {
				return p, err
			}
			p.Units[i].Points = append(p.Units[i].Points, m)
		}
	}
	return p, nil
}

// history answers levels as of an instant from the level changes.
type history map[[2]string][]LevelChange // (user, area) → changes, oldest first

func newHistory(cs []LevelChange) history {
	h := history{}
	for _, c := range cs {
		k := [2]string{strconv.FormatInt(c.UserID, 10), c.Area}
		h[k] = append(h[k], c)
	}
	for _, v := range h {
		slices.SortStableFunc(v, func(a, b LevelChange) int { return cmpInt(a.At, b.At) })
	}
	return h
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// level is a person's level in an area at instant at.
func (h history) level(userID int64, area string, at int64) string {
	cs := h[[2]string{strconv.FormatInt(userID, 10), area}]
	level := ""
	for _, c := range cs {
		if c.At <= at {
			level = c.To
		}
	}
	if level != "" {
		return level
	}
	for _, c := range cs {
		if c.From != "" {
			return c.From // the level the first change after at started from
		}
	}
	return LevelTrainee
}

// levelMeasures computes goals (1) and (4) of a unit at an instant. A
// person's overall level is their lowest over the required areas: goal
// (1) counts those at the minimum level or above (as AidGoalStaff does in
// SQL for today), goal (4) counts people per overall level.
func (p Progress) levelMeasures(staff []Staff, h history, unitID, at int64) (StaffMeasure, EchelonMeasure) {
	fw, st, ec := p.Framework, p.Settings.Staff, p.Settings.Echelon
	sm := StaffMeasure{Target: st.Target, Names: []string{}}
	em := EchelonMeasure{MinPerLevel: ec.MinPerLevel}
	counts := map[string]int{}
	minRank := fw.Rank(st.MinLevel)
	var required []string
	for _, a := range fw.Areas {
		if a.Required {
			required = append(required, a.Code)
		}
	}
	for _, person := range staff {
		if person.UnitID != unitID {
			continue
		}
		overall := ""
		for _, area := range required {
			l := h.level(person.ID, area, at)
			if overall == "" || fw.Rank(l) < fw.Rank(overall) {
				overall = l
			}
		}
		if overall == "" {
			overall = LevelTrainee
		}
		counts[overall]++
		if len(required) > 0 && fw.Rank(overall) >= minRank {
			sm.Count++
			sm.Names = append(sm.Names, person.Name)
		}
	}
	for _, l := range ec.Levels {
		lc := LevelCount{Level: l, Name: fw.LevelName(l), Count: counts[l]}
		if lc.Count >= ec.MinPerLevel {
			em.Filled++
		}
		em.Levels = append(em.Levels, lc)
	}
	return sm, em
}

// positions computes goal (2) for every aided unit over the quarter to
// day: each unit against the peers at its own level (itself left out).
func (s *Service) positions(ctx context.Context, pr Pairing, p Progress, day string) (map[int64]PositionMeasure, error) {
	g := p.Settings.Position
	from := QuarterOf(day).First()
	out := map[int64]PositionMeasure{}
	units := map[int64]Unit{}
	for _, u := range pr.Aided {
		units[u.ID] = u
	}
	for _, id := range g.PeerUnitIDs {
		if _, ok := units[id]; ok {
			continue
		}
		u, err := s.store.AidUnit(ctx, id)
		if notFound(err) {
			continue // a unit removed since: it is no longer a peer
		}
		if err != nil {
			return nil, err
		}
		units[id] = u
	}
	var ids []int64
	for id := range units {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var inds []string
	for _, id := range g.Indicators {
		if _, ok := p.Info[id]; ok {
			inds = append(inds, id)
		}
	}
	vals := map[int64]map[string]IndicatorValue{}
	if s.ind != nil && len(inds) > 0 {
		var err error
		if vals, err = s.ind.UnitValues(ctx, ids, from, day, inds); err != nil {
			return nil, err
		}
	}
	for _, u := range pr.Aided {
		m := PositionMeasure{From: from, To: day}
		var peers []int64
		for _, id := range g.PeerUnitIDs {
			if pu, ok := units[id]; ok && id != u.ID && unitDepth(pu) == unitDepth(u) {
				peers = append(peers, id)
			}
		}
		m.Peers = len(peers)
		for _, id := range inds {
			info := p.Info[id]
			ip := IndicatorPosition{Indicator: id, Name: info.Name}
			own := vals[u.ID][id]
			if own.Defined {
				ip.Defined = true
				ip.Rank, ip.Of = 1, 1
				for _, peer := range peers {
					v := vals[peer][id]
					if !v.Defined {
						continue
					}
					ip.Of++
					if (info.Direction == "up" && v.Value > own.Value) || (info.Direction == "down" && v.Value < own.Value) {
						ip.Rank++
					}
				}
				ip.Cutoff = int(math.Ceil(float64(ip.Of) * float64(g.TopPct) / 100))
				ip.Upper = ip.Rank <= ip.Cutoff
				m.Defined++
				if ip.Upper {
					m.InUpper++
				}
			}
			m.Indicators = append(m.Indicators, ip)
		}
		out[u.ID] = m
	}
	return out, nil
}

// infoMeasure computes goal (3) of a unit over the window ending on day
// (at is the as-of instant).
func (s *Service) infoMeasure(ctx context.Context, g InfoGoal, unitID int64, day string, at int64) (InfoMeasure, error) {
	from := addDays(day, -(g.WindowDays - 1))
	m := InfoMeasure{From: from, To: day}
	for _, it := range g.Items {
		c := CheckResult{Code: it.Code, Threshold: it.Threshold}
		switch it.Code {
		case CheckBoard:
			start, _ := time.ParseInLocation(time.DateOnly, from, cst)
			days, err := s.store.AidBoardDays(ctx, unitID, start.UnixMilli(), at+1)
			if err != nil {
				return m, err
			}
			opened := map[string]bool{}
			for _, d := range days {
				opened[d] = true
			}
			for d := from; d <= day; d = addDays(d, 1) {
				if s.isWorkingDay(d) {
					c.Den++
					if opened[d] {
						c.Num++
					}
				}
			}
		case CheckNotices:
			due, onTime, err := s.store.AidNoticeReplies(ctx, unitID, from, day)
			if err != nil {
				return m, err
			}
			c.Num, c.Den = onTime, due
		case CheckEvaluation:
			n, err := s.store.AidEvaluations(ctx, unitID, from, day)
			if err != nil {
				return m, err
			}
			c.Num, c.Value, c.Defined = n, float64(n), true
			c.Met = n >= it.Threshold
		case CheckAccuracy:
			pts, _, err := s.store.AidDataWork(ctx, unitID, 0, []int64{at}, at)
			if err != nil {
				return m, err
			}
			c.Num, c.Den = pts[0].Cards-pts[0].WithProblems, pts[0].Cards
		}
		if !checkIsCount(it.Code) && c.Den > 0 {
			c.Defined = true
			c.Value = 100 * float64(c.Num) / float64(c.Den)
			// Compare in integers: 4 of 5 is exactly 80%, whatever the
			// floating point says.
			c.Met = 100*c.Num >= it.Threshold*c.Den
		}
		if c.Met {
			m.Count++
		}
		m.Items = append(m.Items, c)
	}
	return m, nil
}
