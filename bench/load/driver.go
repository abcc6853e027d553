package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// kind is a request kind of issue 7.
type kind int

const (
	kindList   kind = iota // GET /cases
	kindDetail             // GET /cases/{id}
	kindSearch             // GET /cases?q=…
	kindHome               // GET /: the dashboard with the colour counts
	kindBoard              // GET /board
	kindStats              // GET /stats: the unit's indicator dashboard
	numKinds
)

func (k kind) String() string {
	switch k {
	case kindList:
		return "case list `GET /cases`"
	case kindDetail:
		return "case detail `GET /cases/{id}`"
	case kindSearch:
		return "search `GET /cases?q=`"
	case kindHome:
		return "dashboard `GET /`"
	case kindBoard:
		return "deadline board `GET /board`"
	case kindStats:
		return "indicators `GET /stats`"
	}
	return fmt.Sprintf("kind %d", int(k))
}

// loginParallel bounds concurrent logins: each costs the server an argon2
// hash (tens of MB of memory), and logging in is set-up, not the load.
const loginParallel = 4

// sample holds the measured requests of one level, per kind.
type sample struct {
	lat  [numKinds][]time.Duration
	errs [numKinds]map[string]int // failure cause → count
	wall time.Duration            // from the measurement's start to the last answer
}

func newSample() *sample {
	s := &sample{}
	for k := range numKinds {
		s.errs[k] = map[string]int{}
	}
	return s
}

func (s *sample) add(k kind, d time.Duration, err error) {
	if err != nil {
		s.errs[k][err.Error()]++
		return
	}
	s.lat[k] = append(s.lat[k], d)
}

// merge folds in one worker's sample: workers record without locks.
func (s *sample) merge(o *sample) {
	for k := range numKinds {
		s.lat[k] = append(s.lat[k], o.lat[k]...)
		for c, n := range o.errs[k] {
			s.errs[k][c] += n
		}
	}
}

func (s *sample) failed(k kind) int {
	n := 0
	for _, c := range s.errs[k] {
		n += c
	}
	return n
}

// requests counts every measured request of kind k, failed ones included.
func (s *sample) requests(k kind) int { return len(s.lat[k]) + s.failed(k) }

func (s *sample) total() (requests, failed int) {
	for k := range numKinds {
		requests += s.requests(k)
		failed += s.failed(k)
	}
	return requests, failed
}

// percentile is the nearest-rank percentile of the successful requests
// (a failure has no meaningful latency; it is counted instead).
func (s *sample) percentile(k kind, p float64) (time.Duration, bool) {
	l := s.lat[k]
	if len(l) == 0 {
		return 0, false
	}
	if !slices.IsSorted(l) {
		slices.Sort(l)
	}
	i := int(math.Ceil(p*float64(len(l)))) - 1
	return l[min(max(i, 0), len(l)-1)], true
}

// level is the outcome of one level of concurrency.
type level struct {
	sessions int
	http     *sample
	sql      *sample // nil without -db
}

// result is a whole run.
type result struct {
	started time.Time
	machine string
	users   []string
	levels  []level
}

func (r result) failures() int {
	n := 0
	for _, l := range r.levels {
		_, f := l.http.total()
		n += f
		if l.sql != nil {
			_, f := l.sql.total()
			n += f
		}
	}
	return n
}

// worker runs one session's (or one bare-SQL connection's) loop: request
// kinds in a fixed rotation, each worker starting at its own place in it so
// that every kind is in flight at every moment. A request started before
// measureFrom is warm-up and not recorded; none starts at or after until.
//
// think is the mean pause after each request (uniform in [½, 1½] of it,
// drawn from the worker's own stream so runs repeat): a person reads a page
// before the next click. Zero gives a closed loop, which measures capacity
// rather than what a user waits.
//
// minRounds, when above zero, keeps the worker going past until until it
// has measured that many rounds of every kind: the driver's own test needs
// every kind at every level however slow the machine; runs leave it 0.
func worker(ctx context.Context, offset int, measureFrom, until time.Time, think time.Duration, minRounds int,
	do func(k kind, n int) error) *sample {
	s := newSample()
	r := rand.New(rand.NewPCG(uint64(offset), 0x7417))
	measured := 0
	for n := offset; ; n++ {
		done := func() bool { return !time.Now().Before(until) && measured >= minRounds*int(numKinds) }
		if think > 0 && n > offset {
			pause := think/2 + time.Duration(r.Int64N(int64(think)+1))
			if minRounds == 0 {
				pause = min(pause, time.Until(until))
			}
			select {
			case <-ctx.Done():
				return s
			case <-time.After(pause):
			}
		}
		start := time.Now()
		if done() || ctx.Err() != nil {
			return s
		}
		k := kind(n % int(numKinds))
		// The k-th request of this kind, shifted by the worker so that
		// concurrent sessions open different cases and search different
		// names.
		err := do(k, n/int(numKinds)+offset)
		if !start.Before(measureFrom) {
			s.add(k, time.Since(start), err)
			measured++
		}
	}
}

// runLevel starts n workers for warmup+duration and merges their samples.
func runLevel(ctx context.Context, n int, warmup, duration, think time.Duration, minRounds int,
	do func(worker int) func(k kind, n int) error) *sample {
	measureFrom := time.Now().Add(warmup)
	until := measureFrom.Add(duration)
	parts := make([]*sample, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { parts[i] = worker(ctx, i, measureFrom, until, think, minRounds, do(i)) })
	}
	wg.Wait()
	all := newSample()
	for _, p := range parts {
		all.merge(p)
	}
	all.wall = time.Since(measureFrom)
	return all
}

// drive logs the sessions in and runs every level, over HTTP and then,
// with -db, on the bare SQL. The two never run at once, so neither slows
// the other's figures.
func drive(ctx context.Context, cfg config, progress io.Writer) (result, error) {
	res := result{started: time.Now(), machine: machineLine(), users: cfg.users}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// One kept-alive connection per session: without this the default of
	// two idle connections per host would measure TCP set-up instead.
	tr.MaxIdleConns = cfg.maxLevel() + 8
	tr.MaxIdleConnsPerHost = cfg.maxLevel() + 8
	defer tr.CloseIdleConnections()

	sessions, err := loginAll(ctx, cfg, tr, progress)
	if err != nil {
		return res, err
	}
	var bare *bareDB
	if cfg.dsn != "" {
		if bare, err = openBare(ctx, cfg.dsn, sessions[:min(len(cfg.users), len(sessions))]); err != nil {
			return res, err
		}
		defer bare.close()
	}
	for _, n := range cfg.levels {
		fmt.Fprintf(progress, "load: %d sessions: HTTP for %s (+%s warm-up)\n", n, cfg.duration, cfg.warmup)
		l := level{sessions: n}
		l.http = runLevel(ctx, n, cfg.warmup, cfg.duration, cfg.think, cfg.minRounds, func(i int) func(kind, int) error {
			s := sessions[i]
			return func(k kind, n int) error { return s.get(ctx, s.target.path(k, n)) }
		})
		if bare != nil {
			fmt.Fprintf(progress, "load: %d sessions: bare SQL for %s (+%s warm-up)\n", n, cfg.duration, cfg.warmup)
			l.sql = runLevel(ctx, n, cfg.warmup, cfg.duration, cfg.think, cfg.minRounds, func(i int) func(kind, int) error {
				u := bare.users[i%len(bare.users)]
				return func(k kind, n int) error { return bare.query(ctx, u, k, n) }
			})
		}
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("interrupted: %w", err)
		}
		res.levels = append(res.levels, l)
	}
	return res, nil
}

// loginAll signs in as many sessions as the largest level needs, users
// round-robin. Each user's first session logs in alone and reads the case
// list first: a wrong password then fails once per user, before the
// lockout counts five, and the harvest is shared by that user's sessions.
// Sessions that a level does not use stay idle: a level longer than the
// server's idle timeout (ANGUAN_IDLE_TIMEOUT, 30 min by default) would see
// them logged out, as failures (status 303) of the next level.
func loginAll(ctx context.Context, cfg config, tr http.RoundTripper, progress io.Writer) ([]*session, error) {
	total := cfg.maxLevel()
	fmt.Fprintf(progress, "load: logging in %d sessions as %d users\n", total, len(cfg.users))
	sessions := make([]*session, total)
	byUser := map[string]*targets{}
	for i := range total {
		s, err := newSession(cfg.base, cfg.users[i%len(cfg.users)], tr)
		if err != nil {
			return nil, err
		}
		sessions[i] = s
		if i >= len(cfg.users) {
			continue
		}
		if err := s.login(ctx, cfg.password); err != nil {
			return nil, err
		}
		if byUser[s.user], err = s.harvest(ctx); err != nil {
			return nil, err
		}
	}
	for _, s := range sessions {
		s.target = byUser[s.user]
	}
	rest := sessions[min(len(cfg.users), total):]
	errs := make([]error, len(rest))
	sem := make(chan struct{}, loginParallel)
	var wg sync.WaitGroup
	for i, s := range rest {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = s.login(ctx, cfg.password)
		})
	}
	wg.Wait()
	// The first failure and how many: two hundred copies of one message
	// would bury it.
	failed, first := 0, error(nil)
	for _, err := range errs {
		if err != nil {
			failed++
			first = cmp.Or(first, err)
		}
	}
	if failed > 0 {
		return nil, fmt.Errorf("%d of %d logins failed, the first: %w", failed, len(rest), first)
	}
	return sessions, nil
}
