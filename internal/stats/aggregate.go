package stats

import (
	"context"
	"fmt"

	"github.com/anguan/anguan/internal/apperr"
)

// Indicator describes one indicator of the catalogue by id.
func (s *Service) Indicator(id string) (Indicator, bool) {
	in, ok := s.inds[id]
	return in, ok
}

// AggregateValues computes indicators for each unit alone over p, from the
// cache, with no caller's visibility: it is for services that show a
// derived aggregate only — paired assistance's goal (2) shows an office
// its position among peer units, never a peer's figure or records — and
// that decide and audit the access themselves. Every id must name an
// available indicator.
func (s *Service) AggregateValues(ctx context.Context, unitIDs []int64, p Period, ids []string) ([]UnitValues, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.Invalid("indicators", "err.required")
	}
	inds, err := s.indicators(ids)
	if err != nil {
		return nil, err
	}
	if len(unitIDs) > MaxUnits {
		return nil, apperr.Invalid("units", "err.stats_units_many", MaxUnits)
	}
	at, err := s.ensureCache(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]UnitValues, 0, len(unitIDs))
	for _, id := range unitIDs {
		sums, err := s.cachedSums(ctx, at, UnitSel{UnitID: id}, p)
		if err != nil {
			return nil, fmt.Errorf("stats: aggregate of unit %d: %w", id, err)
		}
		uv := UnitValues{UnitID: id}
		for _, in := range inds {
			uv.Values = append(uv.Values, s.value(in, sums))
		}
		out = append(out, uv)
	}
	return out, nil
}
