package stats

import (
	"context"
	"sync"
)

// memo keeps the sums read from the daily cache until the cache is next
// refreshed. The cache changes only when a refresh commits (stamped in
// refreshed_at, on any instance), so a sum read after the stamp stays
// right until the stamp moves. A dashboard draws twelve sparklines over
// the same months, and a province's page sums hundreds of thousands of
// cache rows; under load the same sums were computed for every view.
type memo struct {
	mu      sync.Mutex
	at      int64 // the refresh stamp the entries belong to
	sums    map[memoKey]map[string]int64
	monthly map[memoKey]map[string]map[string]int64
}

type memoKey struct {
	sel  UnitSel
	from string
	to   string
}

// maxMemo bounds each map; past it the memo starts over (a refresh
// empties it every two minutes anyway).
const maxMemo = 2048

// reset empties the memo when the stamp moved; the caller holds mu.
func (m *memo) reset(at int64) {
	if m.at != at || m.sums == nil || len(m.sums) > maxMemo || len(m.monthly) > maxMemo {
		m.at = at
		m.sums = map[memoKey]map[string]int64{}
		m.monthly = map[memoKey]map[string]map[string]int64{}
	}
}

// ForgetMemo drops every memoised sum, so the next read goes to the daily
// cache: the benchmarks measure the cache, not the memo in front of it.
func (s *Service) ForgetMemo() {
	s.memo.mu.Lock()
	s.memo.sums, s.memo.monthly = nil, nil
	s.memo.mu.Unlock()
}

// cachedSums is Store.StatsCachedSums through the memo. The returned map
// is shared: callers only read it.
func (s *Service) cachedSums(ctx context.Context, at int64, sel UnitSel, p Period) (map[string]int64, error) {
	k := memoKey{sel, p.From, p.To}
	s.memo.mu.Lock()
	s.memo.reset(at)
	v, ok := s.memo.sums[k]
	s.memo.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := s.store.StatsCachedSums(ctx, sel, p)
	if err != nil {
		return nil, err
	}
	s.memo.mu.Lock()
	if s.memo.at == at {
		s.memo.sums[k] = v
	}
	s.memo.mu.Unlock()
	return v, nil
}

// cachedMonthly is Store.StatsCachedMonthly through the memo.
func (s *Service) cachedMonthly(ctx context.Context, at int64, sel UnitSel, p Period) (map[string]map[string]int64, error) {
	k := memoKey{sel, p.From, p.To}
	s.memo.mu.Lock()
	s.memo.reset(at)
	v, ok := s.memo.monthly[k]
	s.memo.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := s.store.StatsCachedMonthly(ctx, sel, p)
	if err != nil {
		return nil, err
	}
	s.memo.mu.Lock()
	if s.memo.at == at {
		s.memo.monthly[k] = v
	}
	s.memo.mu.Unlock()
	return v, nil
}
