// Package seed generates synthetic demo data (演示数据): never real people.
//
// Demo builds the demo organisation of DOMAIN §2 (real procuratorates, with
// their codes and short names), one account for every role in every unit,
// rotation pools, and N synthetic cases with parties, intake checklists,
// numbers, assignments and timelines. Names are invented by combining
// surnames and given names; resident ID numbers carry valid check digits
// but come from invented area codes (9901xx) that belong to no real place.
//
// Everything is deterministic for a given seed and "today": the same
// options on a fresh database give the same cases, numbers and timelines.
// Every generated event is replayed through casefile.Transition, so demo
// data never contains a timeline the live state machine would refuse.
package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/org"
)

// Org is the part of the organisation service the seed uses (*org.Service).
// It is called as the system actor, so units, departments and accounts go
// through the same validation, password policy and audit as the admin pages.
type Org interface {
	CreateUnit(ctx context.Context, a org.Actor, u org.Unit) (int64, error)
	CreateDepartment(ctx context.Context, a org.Actor, d org.Department) (int64, error)
	CreateUser(ctx context.Context, a org.Actor, nu org.NewUser) (int64, error)
}

// Store is the bulk write path used only by seeding (*store.DB).
type Store interface {
	// UnitByCode finds a unit; apperr.ErrNotFound when there is none.
	UnitByCode(ctx context.Context, code string) (org.Unit, error)
	// SeedPools writes rotation pools with their members and rotation
	// state in one transaction with one audit entry, and returns their ids
	// in order.
	SeedPools(ctx context.Context, pools []casefile.Pool, a audit.Record) ([]int64, error)
	// SeedCases writes one batch of cases with parties, checks, events and
	// assignments in one transaction with one audit entry. Accepted cases
	// get their numbers from the same gapless sequences as live intake, in
	// slice order; the store fills in ID, UniformNo and StageNo.
	SeedCases(ctx context.Context, cases []Case, a audit.Record) error
	// SeedPoolState stores the pools' rotation state (round and cursor,
	// by pool ID) after the generated history.
	SeedPoolState(ctx context.Context, pools []casefile.Pool, a audit.Record) error
	// SeedOrg writes invented units with their departments and accounts
	// in one transaction with one audit entry, filling in their IDs.
	SeedOrg(ctx context.Context, units []BulkUnit, passwordHash string, a audit.Record) error
	// Optimize refreshes planner statistics after the bulk load.
	Optimize(ctx context.Context) error
}

// Deps is what Demo needs.
type Deps struct {
	Org   Org
	Store Store
	// Clocker derives the stored clocks (the embedded calendar and default
	// warnings when nil).
	Clocker *casefile.Clocker
	// Now gives the default "today" (time.Now when nil).
	Now func() time.Time
	// T renders assignment explanations; the zh-CN catalogue when nil.
	T func(key string, args ...any) string
	// Hash hashes a password (account.Policy.Hash); needed only by scales
	// with invented units, whose accounts share one hash of the password
	// (one argon2 run instead of twenty-six thousand).
	Hash func(password string) (string, error)
	// Progress, when set, is told after every written batch.
	Progress func(done, total int)
}

// Options tune Demo. Zero values take the defaults.
type Options struct {
	Cases    int    // synthetic cases; default 3000
	Password string // of every demo account; default "Demo@2026"
	Seed     uint64 // random seed; default 1
	Today    string // YYYY-MM-DD, the "current" date of generated dates; default from Deps.Now
	// Scale adds invented units around the demo organisation (ScaleNames);
	// "" or ScaleDemo adds none.
	Scale string
	// Batch is how many cases one transaction writes; default BatchSize.
	Batch int
}

// Defaults.
const (
	DefaultCases    = 3000
	DefaultPassword = "Demo@2026"
	DefaultSeed     = 1
	// BatchSize is how many cases one transaction writes: large enough
	// that per-transaction costs (the trigram index's segment flush, the
	// audit entry, COPY set-up) vanish, small enough to stream.
	BatchSize = 5000
	// MaxCases guards against a typo that would fill the disk (a little
	// above a nation-year, DOMAIN §12).
	MaxCases = 5_000_000
)

// Case is one generated case ready for the bulk write: the case row
// (numbers left empty for the store to allocate), its creator (the unit's
// case manager), parties, intake checklist, timeline in order (starting
// with "received", then "assigned" when assigned) and its assignment.
type Case struct {
	casefile.Case
	CreatedBy  int64
	Parties    []casefile.Party
	Checks     []casefile.Check
	Events     []casefile.Event
	Assignment *casefile.Assignment
	// Clocks are derived from the events by the same engine as a live
	// case's, so the board of the demo looks like real work.
	Clocks []casefile.ClockRow
}

// Account is one demo account, as `anguan user list --json` shows it.
type Account struct {
	Username   string        `json:"username"`
	Name       string        `json:"name"`
	UnitCode   string        `json:"unit_code"`
	UnitName   string        `json:"unit_name"`
	Department string        `json:"department,omitempty"`
	Roles      []access.Role `json:"roles"`
}

// Result reports what Demo did.
type Result struct {
	// AlreadySeeded: the demo organisation existed; nothing was written.
	AlreadySeeded bool           `json:"already_seeded"`
	Seed          uint64         `json:"seed"`
	Today         string         `json:"today"`
	Password      string         `json:"-"`
	Units         int            `json:"units"`
	Accounts      []Account      `json:"accounts"`
	Pools         int            `json:"pools"`
	Cases         int            `json:"cases"`
	ByCategory    map[string]int `json:"by_category"`
	ByStatus      map[string]int `json:"by_status"`
	ByUnit        map[string]int `json:"by_unit"` // unit code → cases
}

// systemActor is the seed acting as the system (UserID 0).
func systemActor() org.Actor {
	return org.Actor{P: access.Principal{Username: "system:seed"}, Client: "local"}
}

func seedRecord(action, objType, detail string) audit.Record {
	return audit.Record{Actor: audit.System("seed"), Action: action, ObjectType: objType, Result: audit.ResultOK,
		Detail: detail}
}

// Demo seeds the demo organisation, accounts, pools and opt.Cases cases.
// If the root demo unit (最高人民检察院, 10000000) already exists it writes
// nothing and reports AlreadySeeded. Each step commits on its own (units
// and accounts one by one, then pools, then cases in batches of
// BatchSize), so a run that fails half-way leaves a partial demo behind;
// seed a fresh database instead of repairing one.
func Demo(ctx context.Context, deps Deps, opt Options) (Result, error) {
	if deps.Org == nil || deps.Store == nil {
		return Result{}, errors.New("seed: Org and Store are required")
	}
	if opt.Cases == 0 {
		opt.Cases = DefaultCases
	}
	if opt.Cases < 0 || opt.Cases > MaxCases {
		return Result{}, fmt.Errorf("seed: cases must be between 1 and %d", MaxCases)
	}
	if opt.Password == "" {
		opt.Password = DefaultPassword
	}
	if opt.Batch <= 0 {
		opt.Batch = BatchSize
	}
	if opt.Scale != "" {
		if _, ok := ScaleCases(opt.Scale); !ok {
			return Result{}, fmt.Errorf("seed: unknown scale %q (want one of %v)", opt.Scale, ScaleNames())
		}
	}
	if len(scaleUnits(opt.Scale)) > 0 && deps.Hash == nil {
		return Result{}, errors.New("seed: scale " + opt.Scale + " needs Deps.Hash for its accounts")
	}
	if opt.Seed == 0 {
		opt.Seed = DefaultSeed
	}
	if opt.Today == "" {
		now := deps.Now
		if now == nil {
			now = time.Now
		}
		opt.Today = casefile.LegalDate(now())
	}
	today, err := time.Parse(time.DateOnly, opt.Today)
	if err != nil || today.Year() < 2000 || today.Year() > 2100 {
		return Result{}, fmt.Errorf("seed: today %q is not a date (YYYY-MM-DD) between 2000 and 2100", opt.Today)
	}
	t := deps.T
	if t == nil {
		t = i18n.MustLoad(i18n.DefaultLang).T
	}
	res := Result{Seed: opt.Seed, Today: opt.Today, Password: opt.Password}

	switch _, err := deps.Store.UnitByCode(ctx, sppCode); {
	case err == nil:
		res.AlreadySeeded = true
		return res, nil
	case !errors.Is(err, apperr.ErrNotFound):
		return Result{}, fmt.Errorf("seed: look for the demo organisation: %w", err)
	}

	// Separate random streams, so that staff names do not change with the
	// number of cases.
	staffRand := rand.New(rand.NewPCG(opt.Seed, 0x5eed_57aff))
	caseRand := rand.New(rand.NewPCG(opt.Seed, 0x5eed_ca5e5))

	units, err := buildOrg(ctx, deps.Org, staffRand, opt.Password, &res)
	if err != nil {
		return Result{}, err
	}
	if extra := scaleUnits(opt.Scale); len(extra) > 0 {
		more, err := buildScaleOrg(ctx, deps, extra, units, staffRand, opt.Password)
		if err != nil {
			return Result{}, err
		}
		units = append(units, more...)
		res.Units += len(more)
	}
	pools, caseUnits := planPools(units)

	// Pools are written first, in their starting state, so that cases can
	// name them; their state after the history is written at the end.
	flat := make([]casefile.Pool, len(pools))
	for i, p := range pools {
		flat[i] = p.final()
	}
	ids, err := deps.Store.SeedPools(ctx, flat, seedRecord("seed.pools", "pool", fmt.Sprintf("count=%d", len(flat))))
	if err != nil {
		return Result{}, fmt.Errorf("seed: pools: %w", err)
	}
	res.Pools = len(ids)

	res.ByCategory, res.ByStatus, res.ByUnit = map[string]int{}, map[string]int{}, map[string]int{}
	codeOf := map[int64]string{}
	for _, u := range units {
		codeOf[u.ID] = u.Spec.Code
	}
	// The generator builds the next batch (and derives its clocks) while
	// the store writes the last one: on two cores that halves a large
	// seed's time. The generator owns the pools' rotation state; the
	// writer sees each batch only after the generator has let it go.
	g := &generator{r: caseRand, today: today, t: t}
	if opt.Scale != "" && opt.Scale != ScaleDemo {
		g.days = scaleDays
	}
	batches := make(chan []Case, 2)
	genErr := make(chan error, 1)
	gctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer close(batches)
		genErr <- g.stream(caseUnits, opt.Cases, opt.Batch, func(b []Case) error {
			if err := deriveClocks(b, deps.Clocker, opt.Today); err != nil {
				return err
			}
			select {
			case batches <- b:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		})
	}()
	start := 0
	for batch := range batches {
		for i := range batch {
			if a := batch[i].Assignment; a != nil && a.PoolID < 0 {
				a.PoolID = ids[-a.PoolID-1]
			}
		}
		if err := deps.Store.SeedCases(ctx, batch, seedRecord("seed.cases", "case",
			fmt.Sprintf("count=%d", len(batch)))); err != nil {
			stop()
			for range batches { // let the generator finish
			}
			return Result{}, fmt.Errorf("seed: cases %d–%d: %w", start+1, start+len(batch), err)
		}
		start += len(batch)
		for _, c := range batch {
			res.Cases++
			res.ByCategory[c.Category]++
			res.ByStatus[c.Status]++
			res.ByUnit[codeOf[c.UnitID]]++
		}
		if deps.Progress != nil {
			deps.Progress(res.Cases, opt.Cases)
		}
	}
	if err := <-genErr; err != nil {
		return Result{}, err
	}
	for i, p := range pools {
		flat[i] = p.final()
		flat[i].ID = ids[i]
	}
	if err := deps.Store.SeedPoolState(ctx, flat, seedRecord("seed.pools", "pool",
		fmt.Sprintf("state count=%d", len(flat)))); err != nil {
		return Result{}, fmt.Errorf("seed: pool state: %w", err)
	}
	if err := deps.Store.Optimize(ctx); err != nil {
		return Result{}, fmt.Errorf("seed: optimize: %w", err)
	}
	return res, nil
}

// unit is a created demo unit.
type unit struct {
	Spec  unitSpec
	ID    int64
	Depts [deptSlots]int64
	Staff []staff
}

// staff is a created demo account.
type staff struct {
	ID   int64
	Name string
	Spec accountSpec
}

// buildOrg creates units, departments and accounts through the org service.
func buildOrg(ctx context.Context, o Org, r *rand.Rand, password string, res *Result) ([]*unit, error) {
	a := systemActor()
	byKey := map[string]*unit{}
	var out []*unit
	names := uniqueNames{}
	for _, spec := range demoUnits() {
		u := &unit{Spec: spec}
		var parent int64
		if spec.Parent != "" {
			parent = byKey[spec.Parent].ID
		}
		id, err := o.CreateUnit(ctx, a, org.Unit{ParentID: parent, Code: spec.Code, Name: spec.Name, ShortName: spec.Short})
		if err != nil {
			return nil, fmt.Errorf("seed: unit %s: %w", spec.Name, err)
		}
		u.ID = id
		deptName := map[int64]string{}
		for i, name := range deptNames(spec.Level) {
			did, err := o.CreateDepartment(ctx, a, org.Department{UnitID: id, Name: name})
			if err != nil {
				return nil, fmt.Errorf("seed: department %s %s: %w", spec.Name, name, err)
			}
			if i < deptSlots {
				u.Depts[i] = did
			}
			deptName[did] = name
		}
		for _, as := range demoAccounts(spec) {
			female := chance(r, 0.4)
			name := names.take(func() string {
				if spec.Region == "xj" && chance(r, 0.5) {
					return uyName(r, female)
				}
				return hanName(r, female)
			})
			var dept int64
			if as.Dept >= 0 {
				dept = u.Depts[as.Dept]
			}
			username := spec.Key + "_" + as.Suffix
			uid, err := o.CreateUser(ctx, a, org.NewUser{Username: username, Name: name, UnitID: id,
				DepartmentID: dept, Password: password, Roles: as.Roles})
			if err != nil {
				return nil, fmt.Errorf("seed: account %s: %w", username, err)
			}
			u.Staff = append(u.Staff, staff{ID: uid, Name: name, Spec: as})
			res.Accounts = append(res.Accounts, Account{Username: username, Name: name, UnitCode: spec.Code,
				UnitName: spec.Name, Department: deptName[dept], Roles: as.Roles})
		}
		byKey[spec.Key] = u
		out = append(out, u)
	}
	res.Units = len(out)
	return out, nil
}

// deriveClocks computes the stored clocks of every generated case as of
// today, with the engine live cases use.
func deriveClocks(cases []Case, k *casefile.Clocker, today string) error {
	if k == nil {
		k = &casefile.Clocker{Engine: deadline.DefaultEngine(), Warnings: deadline.DefaultWarningSettings()}
	}
	td, err := deadline.ParseDate(today)
	if err != nil {
		return err
	}
	for i := range cases {
		c := &cases[i]
		rows, problems, err := k.Rows(casefile.FactsOf(c.Case, c.Parties, c.Events), td)
		if err != nil {
			return fmt.Errorf("seed: clocks of %q: %w", c.Name, err)
		}
		for _, p := range problems {
			if casefile.Contradicts(p) {
				return fmt.Errorf("seed: generated events of %q contradict each other: %v", c.Name, p)
			}
		}
		c.Clocks = rows
	}
	return nil
}
