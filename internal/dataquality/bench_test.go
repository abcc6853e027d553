package dataquality

import (
	"sync/atomic"
	"testing"

	"github.com/anguan/anguan/internal/casecard"
)

// BenchmarkCheck runs the whole shipped library over a realistic imported
// prosecution-review card with its arrest-review card and a second related
// card, the shape of most groups in a nightly scan. evals/s is rule
// evaluations per second on one goroutine; the nightly target is
// 1,000,000 on two cores.
func BenchmarkCheck(b *testing.B) {
	lib := mustLibrary(b)
	card, related := baseline("prosecution_review")
	card.Plea, card.PleaSignedOn, card.Sentencing, card.SentencingAdopted = casecard.No, "", "", "" // one hit (DQ-032 stays quiet)
	card.EnteredOn = "2026-04-02"                                                                   // and one late entry
	upper := card
	upper.UnitID, upper.UnitLevel, upper.StageNo, upper.Decision = 21, 3, "安城院起诉受[2026]11000000007号", "交办"
	env := &Env{Card: card, Related: append(related, upper), Today: testToday}
	var buf []Hit
	evals := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var n int
		buf, n = lib.CheckInto(buf[:0], env)
		evals += n
	}
	b.ReportMetric(float64(evals)/b.Elapsed().Seconds(), "evals/s")
	b.ReportMetric(float64(evals)/float64(b.N), "rules/card")
	if len(evalErrors(buf)) > 0 || len(hitIDs(buf)) == 0 {
		b.Fatalf("unexpected result: hits %v, errors %v", hitIDs(buf), evalErrors(buf))
	}
}

// BenchmarkCheckParallel is the same on every processor, the way the
// nightly scan runs.
func BenchmarkCheckParallel(b *testing.B) {
	lib := mustLibrary(b)
	card, related := baseline("prosecution_review")
	b.ReportAllocs()
	b.ResetTimer()
	var total atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		env := &Env{Card: card, Related: related, Today: testToday}
		var buf []Hit
		evals := 0
		for pb.Next() {
			var n int
			buf, n = lib.CheckInto(buf[:0], env)
			evals += n
		}
		total.Add(int64(evals))
	})
	b.ReportMetric(float64(total.Load())/b.Elapsed().Seconds(), "evals/s")
}
