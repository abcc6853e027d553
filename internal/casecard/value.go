package casecard

import (
	"fmt"
	"strconv"
)

// textField returns the string field of c behind column key, or nil when
// the key is not a text-valued column. Dates, flags and the category are
// strings too; only the counts are not.
func (c *Card) textField(key string) *string {
	switch key {
	case "stage_no":
		return &c.StageNo
	case "uniform_no":
		return &c.UniformNo
	case "category":
		return &c.Category
	case "name":
		return &c.Name
	case "department":
		return &c.Department
	case "handler":
		return &c.Handler
	case "transferring_organ":
		return &c.TransferringOrgan
	case "charges":
		return &c.Charges
	case "received_on":
		return &c.ReceivedOn
	case "suspect_name":
		return &c.SuspectName
	case "suspect_id":
		return &c.SuspectID
	case "custody":
		return &c.Custody
	case "measure":
		return &c.Measure
	case "plea":
		return &c.Plea
	case "plea_signed_on":
		return &c.PleaSignedOn
	case "sentencing":
		return &c.Sentencing
	case "sentencing_adopted":
		return &c.SentencingAdopted
	case "fast_track":
		return &c.FastTrack
	case "minor":
		return &c.Minor
	case "decision":
		return &c.Decision
	case "decided_on":
		return &c.DecidedOn
	case "doc_no":
		return &c.DocNo
	case "closed_on":
		return &c.ClosedOn
	case "entered_on":
		return &c.EnteredOn
	}
	return nil
}

// countField is textField for the count columns.
func (c *Card) countField(key string) *int {
	switch key {
	case "returns":
		return &c.Returns
	case "extensions":
		return &c.Extensions
	}
	return nil
}

// Value returns the item of column key as the card stores it (the category
// as its code, counts in decimal), or "" for an unknown key.
func (c *Card) Value(key string) string {
	if p := c.textField(key); p != nil {
		return *p
	}
	if p := c.countField(key); p != nil {
		return strconv.Itoa(*p)
	}
	return ""
}

// Set stores value as the item of column key, as is: it checks only that
// the key exists and that a count is a whole number ("" is 0). Validation
// of what a file holds is Parse's job.
func (c *Card) Set(key, value string) error {
	if p := c.textField(key); p != nil {
		*p = value
		return nil
	}
	if p := c.countField(key); p != nil {
		if value == "" {
			*p = 0
			return nil
		}
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("casecard: %s: %q is not a whole number", key, value)
		}
		*p = n
		return nil
	}
	return fmt.Errorf("casecard: unknown column %q", key)
}

// Change is one item that differs between two versions of a card.
type Change struct {
	Key    string
	Header string
	Old    string
	New    string
}

// Diff lists the items of the layout that differ from old to new, in
// layout order, so that a re-import can show what it is about to change.
// Fields outside the layout (ids, source, unit) are not compared.
func Diff(old, new Card) []Change {
	var out []Change
	for _, col := range Columns {
		o, n := old.Value(col.Key), new.Value(col.Key)
		if o != n {
			out = append(out, Change{Key: col.Key, Header: col.Header, Old: o, New: n})
		}
	}
	return out
}
