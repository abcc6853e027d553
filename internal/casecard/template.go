package casecard

import (
	"io"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/xlsx"
)

// The import template is part of the file format, like the headers in
// Columns: its wording follows the national system's filling standard and
// does not change with the interface language, so it lives here rather
// than in the i18n catalogue.

const guideSheet = "填写说明"

// Template examples. Their stage numbers start with examplePrefix, which
// Parse refuses, so a template filled in below the examples cannot import
// them by accident. The people, units and ID numbers are invented (the
// area code 659999 does not exist; the check digits are valid).
const examplePrefix = "示例"

// isExample reports whether a stage number is a template example's.
func isExample(stageNo string) bool { return strings.HasPrefix(stageNo, examplePrefix) }

// Category codes the examples use, when the vocabulary has them.
const (
	exampleArrest      = "arrest_review"
	exampleProsecution = "prosecution_review"
)

func templateExamples() []Card {
	return []Card{{
		StageNo: "示例检捕受〔2026〕1号", UniformNo: "A659999202600001", Category: exampleArrest,
		Name: "艾某某盗窃案", Department: "第一检察部", Handler: "王某某", TransferringOrgan: "某某县公安局",
		Charges: "盗窃罪", ReceivedOn: "2026-03-04", SuspectName: "艾某某", SuspectID: "659999199005170318",
		Custody: Yes, Measure: "拘留", Plea: Yes, FastTrack: No, Minor: No,
		Decision: "批准逮捕", DecidedOn: "2026-03-10", DocNo: "示例检捕〔2026〕1号", ClosedOn: "2026-03-10", EnteredOn: "2026-03-10",
	}, {
		StageNo: "示例检刑审受〔2026〕2号", UniformNo: "A659999202600001", Category: exampleProsecution,
		Name: "艾某某盗窃案", Department: "第一检察部", Handler: "王某某", TransferringOrgan: "某某县公安局",
		Charges: "盗窃罪", ReceivedOn: "2026-04-02", SuspectName: "艾某某", SuspectID: "659999199005170318",
		Custody: Yes, Measure: "逮捕", Plea: Yes, PleaSignedOn: "2026-04-20", Sentencing: "确定刑", SentencingAdopted: "采纳",
		FastTrack: No, Minor: No, Returns: 0, Extensions: 0,
		Decision: "起诉", DecidedOn: "2026-04-25", DocNo: "示例检刑诉〔2026〕2号", ClosedOn: "2026-04-25", EnteredOn: "2026-04-26",
	}}
}

// kindFormat describes how a column of each kind is filled.
func kindFormat(k Kind, vocab Vocabulary) string {
	switch k {
	case KindDate:
		return "日期，如 2026-03-04、2026/3/4、2026.3.4 或 2026年3月4日，也可以是 Excel 日期"
	case KindFlag:
		return "是 或 否（也可填 Y/N、1/0）"
	case KindCount:
		return "0 到 " + strconv.Itoa(MaxCount) + " 的整数"
	case KindCategory:
		names := make([]string, 0, len(vocab.codes))
		for _, code := range vocab.codes {
			names = append(names, vocab.Name(code))
		}
		if len(names) == 0 {
			return "案件类别名称或代码"
		}
		return "案件类别名称或代码，名称为：" + strings.Join(names, "、")
	}
	return "文本，不超过 " + strconv.Itoa(MaxText) + " 个字"
}

// guideNotes are the general rules listed under the columns.
var guideNotes = []string{
	"第一行为表头，列名须与本模板一致，列的顺序可以调整；“必填”为“是”的列不能缺少，每行都要填写。",
	"部门受案号在同一文件中不能重复；再次导入同一部门受案号时，更新原有案卡。",
	"单元格不能是公式，内容也不能以 =、+、-、@ 开头。",
	"部门受案号以“示例”开头的是示例行，请删除后再导入。",
	"文件不超过 " + strconv.Itoa(MaxFileBytes>>20) + " MB、" + strconv.Itoa(MaxRows) + " 行；CSV 文件请使用 UTF-8 或 GB18030 编码。",
}

// WriteTemplate writes the import template: a sheet with the header row
// and two example rows, and a sheet 填写说明 describing each column.
func WriteTemplate(w io.Writer, vocab Vocabulary) error {
	examples := templateExamples()
	rows := make([][]xlsx.Cell, len(examples))
	for i := range examples {
		c := &examples[i]
		c.Category = exampleCategory(c.Category, vocab)
		rows[i] = xlsxRow(c, vocab)
	}
	guide := make([][]xlsx.Cell, 0, len(Columns)+len(guideNotes)+1)
	for _, col := range Columns {
		required := No
		if col.Required {
			required = Yes
		}
		guide = append(guide, []xlsx.Cell{xlsx.Str(col.Header), xlsx.Str(col.Key), xlsx.Str(required),
			xlsx.Str(kindFormat(col.Kind, vocab)), xlsx.Str(col.Note)})
	}
	guide = append(guide, nil)
	for _, n := range guideNotes {
		guide = append(guide, []xlsx.Cell{xlsx.Str(n)})
	}
	return xlsx.Write(w,
		xlsx.Sheet{Name: sheetName, Header: headers(), Rows: rows},
		xlsx.Sheet{Name: guideSheet, Title: "案卡导入模板填写说明", Header: []string{"列名", "键名", "必填", "格式", "说明"},
			Rows: guide, Widths: []float64{18, 20, 6, 40, 40}},
	)
}

// exampleCategory picks the category an example shows: the intended one
// when the vocabulary has it, else the first known, so the example always
// names a category the import accepts.
func exampleCategory(code string, vocab Vocabulary) string {
	if vocab.Has(code) || len(vocab.codes) == 0 {
		return code
	}
	return vocab.codes[0]
}
