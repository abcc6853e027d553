package seed

import (
	"context"
	"fmt"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/org"
)

// StatsStore is what the demo's sharing of aggregates needs (*store.DB).
type StatsStore interface {
	UnitByCode(ctx context.Context, code string) (org.Unit, error)
	StatsSetShare(ctx context.Context, owner, viewer int64, share bool, a audit.Record) error
}

// statsSharing lists the demo units that share their aggregates (统计数据,
// never case lists) with each other: the paired Kashgar and Zhuzhou
// offices of the aid programme (DOMAIN §2), every way round.
var statsSharing = []string{"65310000", "65310100", "65312200", "43020000", "43020400"}

// StatsShares seeds the demo's sharing of aggregates between the paired
// units and returns how many sharings it wrote. Running it again changes
// nothing.
func StatsShares(ctx context.Context, st StatsStore) (int, error) {
	ids := make([]int64, len(statsSharing))
	for i, code := range statsSharing {
		u, err := st.UnitByCode(ctx, code)
		if err != nil {
			return 0, fmt.Errorf("seed: stats sharing: unit %s: %w", code, err)
		}
		ids[i] = u.ID
	}
	n := 0
	for _, owner := range ids {
		for _, viewer := range ids {
			if owner == viewer {
				continue
			}
			rec := seedRecord("stats.share", "unit", fmt.Sprintf("owner=%d viewer=%d", owner, viewer))
			rec.ObjectID = fmt.Sprint(owner)
			if err := st.StatsSetShare(ctx, owner, viewer, true, rec); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
