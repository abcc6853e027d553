package server

import (
	"context"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/stats"
)

// aidIndicators is the statistics service as paired assistance's goal (2)
// consumes it (aid.Indicators): aggregates of units, by indicator id.
type aidIndicators struct{ s *stats.Service }

func (a aidIndicators) IndicatorInfo(id string) (aid.IndicatorInfo, bool) {
	in, ok := a.s.Indicator(id)
	if !ok || !in.Available {
		return aid.IndicatorInfo{}, false
	}
	return aid.IndicatorInfo{ID: in.ID, Name: in.Name, Direction: in.Direction, Kind: in.Kind}, true
}

func (a aidIndicators) UnitValues(ctx context.Context, unitIDs []int64, from, to string, ids []string) (map[int64]map[string]aid.IndicatorValue, error) {
	rows, err := a.s.AggregateValues(ctx, unitIDs, stats.Period{From: from, To: to}, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]map[string]aid.IndicatorValue, len(rows))
	for _, r := range rows {
		m := make(map[string]aid.IndicatorValue, len(r.Values))
		for _, v := range r.Values {
			m[v.Indicator] = aid.IndicatorValue{Value: v.Value, Defined: v.Defined}
		}
		out[r.UnitID] = m
	}
	return out, nil
}

// workingDay reads the working-day calendar in force (holidays and
// make-up days as imported), for goal (3)'s board days.
func workingDay(cal func() *deadline.Calendar) func(day string) bool {
	return func(day string) bool {
		d, err := deadline.ParseDate(day)
		return err == nil && cal().IsWorkingDay(d)
	}
}
