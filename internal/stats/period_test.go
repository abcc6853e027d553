package stats_test

import (
	"testing"

	"github.com/anguan/anguan/internal/stats"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		kind, value, from, to string
		want                  stats.Period
		label                 string
		err                   string
	}{
		{"month", "2026-02", "", "", stats.Period{From: "2026-02-01", To: "2026-02-28"}, "2026-02", ""},
		{"month", "2024-02", "", "", stats.Period{From: "2024-02-01", To: "2024-02-29"}, "2024-02", ""},
		{"quarter", "2026-Q4", "", "", stats.Period{From: "2026-10-01", To: "2026-12-31"}, "2026-Q4", ""},
		{"year", "2025", "", "", stats.Period{From: "2025-01-01", To: "2025-12-31"}, "2025", ""},
		{"custom", "", "2026-03-02", "2026-03-15", stats.Period{From: "2026-03-02", To: "2026-03-15"}, "2026-03-02/2026-03-15", ""},
		{"custom", "", "2026-03-01", "2026-03-31", stats.Period{From: "2026-03-01", To: "2026-03-31"}, "2026-03", ""},
		{"custom", "", "2026-03-02", "2026-03-02", stats.Period{From: "2026-03-02", To: "2026-03-02"}, "2026-03-02/2026-03-02", ""},
		{"custom", "", "2026-03-15", "2026-03-02", stats.Period{}, "", "to:err.stats_period_order"},
		{"custom", "", "2026-3-1", "2026-03-02", stats.Period{}, "", "from:err.stats_date"},
		{"custom", "", "2000-01-01", "2026-03-02", stats.Period{}, "", "to:err.stats_period_long"},
		{"month", "2026-13", "", "", stats.Period{}, "", "period:err.stats_period_month"},
		{"month", "202603", "", "", stats.Period{}, "", "period:err.stats_period_month"},
		{"quarter", "2026-Q5", "", "", stats.Period{}, "", "period:err.stats_period_quarter"},
		{"year", "1999", "", "", stats.Period{}, "", "period:err.stats_period_year"},
		{"week", "2026-10", "", "", stats.Period{}, "", "period_kind:err.stats_period_kind"},
	}
	for _, tt := range tests {
		got, err := stats.ParsePeriod(tt.kind, tt.value, tt.from, tt.to)
		if tt.err != "" {
			if fieldOf(err) != tt.err {
				t.Errorf("ParsePeriod(%s, %s, %s, %s) error = %v, want %s", tt.kind, tt.value, tt.from, tt.to, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want || got.Label() != tt.label {
			t.Errorf("ParsePeriod(%s, %s, %s, %s) = %+v %q, %v; want %+v %q", tt.kind, tt.value, tt.from, tt.to, got,
				got.Label(), err, tt.want, tt.label)
		}
	}
}

// TestCatalogue: the shipped catalogue holds the indicators of DOMAIN §9,
// computable ones with their measures, the others with a reason, and
// 案件比's sixteen procedures.
func TestCatalogue(t *testing.T) {
	c, err := stats.DefaultCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	avail := map[string]bool{}
	for _, in := range c.Indicators {
		avail[in.Name] = in.Available
		if in.Name == "" || in.Definition == "" {
			t.Errorf("indicator %s lacks a name or definition", in.ID)
		}
	}
	for _, name := range []string{"案件比", "不捕率", "不起诉率", "诉前羁押率", "认罪认罚适用率", "确定刑量刑建议提出率",
		"量刑建议采纳率", "退回补充侦查率", "延长审查起诉期限率", "捕后不诉率", "审结率", "数据准确率"} {
		if !avail[name] {
			t.Errorf("%s missing or not available", name)
		}
	}
	for _, name := range []string{"撤回起诉率", "无罪判决率", "检察建议采纳率", "12309程序性答复7日内答复率", "12309三个月内办理结果答复率"} {
		if a, ok := avail[name]; !ok || a {
			t.Errorf("%s should be listed as unavailable", name)
		}
	}
	if len(c.Procedures) != 16 || c.ProceduresNote == "" {
		t.Errorf("%d procedures, note %q", len(c.Procedures), c.ProceduresNote)
	}
}
