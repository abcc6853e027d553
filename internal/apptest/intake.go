package apptest

import (
	"fmt"
	"time"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/idcard"
)

func testRecord(action string) audit.Record {
	return audit.Record{Actor: audit.System("test"), Action: action, ObjectType: "test", Result: audit.ResultOK}
}

// IDNumber makes a valid synthetic ID number from an invented area code.
func IDNumber(i int) string {
	n, err := idcard.Build("990101", time.Date(1980+i%20, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), 100+i%800)
	if err != nil {
		panic(err)
	}
	return n
}

// Intake is a valid accepted prosecution-review intake with two parties.
func Intake(i int) casefile.Intake {
	id1, id2 := IDNumber(i), IDNumber(i+1)
	g := func(id string) string {
		if (id[16]-'0')%2 == 0 {
			return "female"
		}
		return "male"
	}
	var checks []casefile.Check
	for _, item := range casefile.CheckItems() {
		checks = append(checks, casefile.Check{Item: item, Passed: true})
	}
	return casefile.Intake{Category: "prosecution_review", Name: fmt.Sprintf("测某%d盗窃案", i),
		TransferringOrgan: "甲县公安局", TransferDocNo: fmt.Sprintf("甲公诉字〔2026〕%d号", i), ReceivedOn: "2026-03-02",
		Parties: []casefile.Party{
			{Name: fmt.Sprintf("测某%d", i), Gender: g(id1), Ethnicity: "汉族", IDType: "resident_id", IDNumber: id1,
				Role: "suspect", Custody: true, Measure: "arrest"},
			{Name: fmt.Sprintf("被害人%d", i), Gender: g(id2), Ethnicity: "维吾尔族", IDType: "resident_id", IDNumber: id2,
				Role: "victim", Measure: "none"},
		},
		Charges: []string{"盗窃罪"}, Plea: true, Checks: checks, Outcome: casefile.OutcomeAccept}
}
