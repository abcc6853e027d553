package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/evaluation"
)

// evalStatsWhere is the scope and filter of the statistics over records r
// (with their case c and template t joined). dayCol is the day the
// period filter reads.
func evalStatsWhere(s access.QualityScope, f evaluation.StatsFilter, dayCol string) *where {
	w := &where{}
	qualityWhere(w, s, "r.unit_id", "r.department_id", "r.handler_id")
	if f.ActivityID != 0 {
		w.add("r.activity_id = $%d", f.ActivityID)
	}
	if f.ScaleCode != "" {
		w.add("t.scale_code = $%d", f.ScaleCode)
	}
	if f.Category != "" {
		w.add("r.category = $%d", f.Category)
	}
	if f.From != "" {
		w.add(dayCol+" >= $%d", f.From)
	}
	if f.To != "" {
		w.add(dayCol+" <= $%d", f.To)
	}
	return w
}

const evalStatsFrom = ` FROM evaluation_records r JOIN cases c ON c.id = r.case_id
	JOIN evaluation_templates t ON t.id = r.template_id`

// evalGroup is the key, name and joins of each attribute of a grade table.
var evalGroup = map[evaluation.GroupBy][3]string{
	evaluation.ByUnit:       {"CAST(r.unit_id AS TEXT)", "un.name", " JOIN units un ON un.id = r.unit_id"},
	evaluation.ByDepartment: {"CAST(COALESCE(r.department_id, 0) AS TEXT)", "COALESCE(d.name, '')", " LEFT JOIN departments d ON d.id = r.department_id"},
	evaluation.ByHandler:    {"CAST(COALESCE(r.handler_id, 0) AS TEXT)", "COALESCE(h.name, '')", " LEFT JOIN users h ON h.id = r.handler_id"},
	evaluation.ByCategory:   {"r.category", "g.name", " JOIN categories g ON g.code = r.category"},
	evaluation.ByEvaluator:  {"CAST(COALESCE(r.evaluator_id, 0) AS TEXT)", "COALESCE(e.name, '')", " LEFT JOIN users e ON e.id = r.evaluator_id"},
}

// EvaluationGradeCounts counts final grades in scope by one attribute.
func (db *DB) EvaluationGradeCounts(ctx context.Context, s access.QualityScope, f evaluation.StatsFilter, by evaluation.GroupBy) ([]evaluation.GradeRow, error) {
	g, ok := evalGroup[by]
	if !ok {
		return nil, fmt.Errorf("store: unknown grouping %q", by)
	}
	w := evalStatsWhere(s, f, "r.final_on")
	w.add("r.final_grade <> ''")
	var out []evaluation.GradeRow
	at := map[string]int{}
	err := evalRows(ctx, db.r, `SELECT `+g[0]+`, `+g[1]+`, r.final_grade, count(*)`+evalStatsFrom+g[2]+` WHERE `+w.sql()+
		` GROUP BY `+g[0]+`, `+g[1]+`, r.final_grade ORDER BY 2, 1, 3`, w.args, func(rows *sql.Rows) error {
		var key, name, grade string
		var n int
		if err := rows.Scan(&key, &name, &grade, &n); err != nil {
			return err
		}
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, evaluation.GradeRow{Key: key, Name: name, Counts: map[string]int{}})
		}
		out[i].Counts[grade] += n
		out[i].Total += n
		return nil
	})
	return out, err
}

// EvaluationFindingCounts counts the problems (not overturned) of graded
// records per item, most frequent first.
func (db *DB) EvaluationFindingCounts(ctx context.Context, s access.QualityScope, f evaluation.StatsFilter, limit int) ([]evaluation.FindingCount, error) {
	w := evalStatsWhere(s, f, "r.final_on")
	w.add("r.final_grade <> ''")
	w.add("i.class IN ($%d, $%d)", evaluation.ClassFlaw, evaluation.ClassSerious)
	w.add("i.overturned = FALSE")
	w.args = append(w.args, limit)
	var out []evaluation.FindingCount
	err := evalRows(ctx, db.r, `SELECT i.item_code, MAX(i.title), MAX(i.aspect),
		SUM(CASE WHEN i.class = 'flaw' THEN 1 ELSE 0 END), SUM(CASE WHEN i.class = 'serious' THEN 1 ELSE 0 END),
		count(*), count(DISTINCT i.record_id)
		FROM evaluation_record_items i JOIN evaluation_records r ON r.id = i.record_id JOIN cases c ON c.id = r.case_id
		JOIN evaluation_templates t ON t.id = r.template_id WHERE `+w.sql()+
		fmt.Sprintf(` GROUP BY i.item_code ORDER BY 6 DESC, 1 LIMIT $%d`, len(w.args)), w.args, func(rows *sql.Rows) error {
		var c evaluation.FindingCount
		if err := rows.Scan(&c.ItemCode, &c.Title, &c.Aspect, &c.Flaws, &c.Serious, &c.Total, &c.Records); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// EvaluationCalibration summarises each evaluator's proposals in scope:
// the grades proposed, the problems found, and how many of those were
// contested and overturned.
func (db *DB) EvaluationCalibration(ctx context.Context, s access.QualityScope, f evaluation.StatsFilter) ([]evaluation.CalibrationRow, error) {
	w := evalStatsWhere(s, f, "r.proposed_on")
	w.add("r.proposed_grade <> ''")
	w.add("r.evaluator_id IS NOT NULL")
	var out []evaluation.CalibrationRow
	at := map[int64]int{}
	err := evalRows(ctx, db.r, `SELECT r.evaluator_id, e.name, r.proposed_grade, count(*)`+evalStatsFrom+`
		JOIN users e ON e.id = r.evaluator_id WHERE `+w.sql()+` GROUP BY r.evaluator_id, e.name, r.proposed_grade
		ORDER BY r.evaluator_id, r.proposed_grade`, w.args, func(rows *sql.Rows) error {
		var id int64
		var name, grade string
		var n int
		if err := rows.Scan(&id, &name, &grade, &n); err != nil {
			return err
		}
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, evaluation.CalibrationRow{EvaluatorID: id, Name: name, Grades: map[string]int{}})
		}
		out[i].Grades[grade] += n
		out[i].Records += n
		return nil
	})
	if err != nil {
		return nil, err
	}
	w.add("i.class IN ($%d, $%d)", evaluation.ClassFlaw, evaluation.ClassSerious)
	err = evalRows(ctx, db.r, `SELECT r.evaluator_id, count(*), SUM(CASE WHEN i.objected THEN 1 ELSE 0 END),
		SUM(CASE WHEN i.overturned THEN 1 ELSE 0 END)
		FROM evaluation_record_items i JOIN evaluation_records r ON r.id = i.record_id JOIN cases c ON c.id = r.case_id
		JOIN evaluation_templates t ON t.id = r.template_id WHERE `+w.sql()+` GROUP BY r.evaluator_id`, w.args,
		func(rows *sql.Rows) error {
			var id int64
			var found, objected, overturned int
			if err := rows.Scan(&id, &found, &objected, &overturned); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				out[i].Findings, out[i].Objected, out[i].Overturned = found, objected, overturned
			}
			return nil
		})
	return out, err
}
