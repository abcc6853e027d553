package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
)

// IntakePage is the registration form (受理登记).
type IntakePage struct {
	Base
	In          casefile.Intake
	ChargesText string
	Categories  []casefile.Category
	Vocab       IntakeVocab
	Today       string
}

// IntakeVocab holds the choice lists of the form.
type IntakeVocab struct {
	Genders, IDTypes, Roles, Measures, Ethnicities, CheckItems []string
}

// PartyRow is the data of one party fieldset (also served alone to htmx).
type PartyRow struct {
	I      int
	P      casefile.Party
	Vocab  IntakeVocab
	Errors map[string]string
}

func vocab() IntakeVocab {
	return IntakeVocab{Genders: casefile.Genders(), IDTypes: casefile.IDTypes(), Roles: casefile.PartyRoles(),
		Measures: casefile.Measures(), Ethnicities: casefile.Ethnicities(), CheckItems: casefile.CheckItems()}
}

// maxFormParties bounds how many party fieldsets a form may carry.
const maxFormParties = 50

func (h *Handler) intakePage(r *http.Request, in casefile.Intake) (*IntakePage, error) {
	p := &IntakePage{In: in, Vocab: vocab(), Today: h.Cases.Today(), ChargesText: strings.Join(in.Charges, "、")}
	p.Title = h.T.T("ui.nav.intake")
	var err error
	p.Categories, err = h.Cases.Categories(r.Context())
	return p, err
}

// Rows gives the party fieldsets with their index for the template.
func (p *IntakePage) Rows() []PartyRow {
	out := make([]PartyRow, len(p.In.Parties))
	for i, party := range p.In.Parties {
		out[i] = PartyRow{I: i, P: party, Vocab: p.Vocab, Errors: p.Errors}
	}
	return out
}

// Check returns the checklist state of an item (passed by default).
func (p *IntakePage) Check(item string) casefile.Check {
	for _, c := range p.In.Checks {
		if c.Item == item {
			return c
		}
	}
	return casefile.Check{Item: item, Passed: true}
}

func (h *Handler) intakeForm(w http.ResponseWriter, r *http.Request, _ org.User) error {
	in := casefile.Intake{ReceivedOn: h.Cases.Today(), Outcome: casefile.OutcomeAccept,
		Parties: []casefile.Party{{IDType: "resident_id", Role: "suspect", Measure: "none"}}}
	p, err := h.intakePage(r, in)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "intake", p)
}

func (h *Handler) partyRow(w http.ResponseWriter, r *http.Request, _ org.User) error {
	i, err := strconv.Atoi(r.URL.Query().Get("i"))
	if err != nil || i < 0 || i >= maxFormParties {
		i = 0
	}
	return h.fragment(w, "intake", "party_row", PartyRow{I: i, Vocab: vocab(),
		P: casefile.Party{IDType: "resident_id", Role: "suspect", Measure: "none"}})
}

// splitCharges accepts 、，, ; or newlines between charges.
func splitCharges(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;；\n", r) })
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	return f
}

func parseIntakeForm(r *http.Request) casefile.Intake {
	b := func(name string) bool { return r.PostFormValue(name) != "" }
	in := casefile.Intake{Category: r.PostFormValue("category"), Name: r.PostFormValue("name"),
		TransferringOrgan: r.PostFormValue("transferring_organ"), TransferDocNo: r.PostFormValue("transfer_doc_no"),
		ReceivedOn: trimmed(r, "received_on"), Charges: splitCharges(r.PostFormValue("charges")),
		Plea: b("plea"), FastTrack: b("fast_track"), Minor: b("minor"), Sealed: b("sealed"),
		Outcome: r.PostFormValue("outcome"), OutcomeNote: r.PostFormValue("outcome_note")}
	for _, item := range casefile.CheckItems() {
		in.Checks = append(in.Checks, casefile.Check{Item: item, Passed: r.PostFormValue("check."+item) == "1",
			Note: r.PostFormValue("check." + item + ".note")})
	}
	for i := 0; i < maxFormParties; i++ {
		f := func(name string) string { return r.PostFormValue(fmt.Sprintf("parties[%d].%s", i, name)) }
		if _, present := r.PostForm[fmt.Sprintf("parties[%d].name", i)]; !present {
			continue
		}
		in.Parties = append(in.Parties, casefile.Party{Name: f("name"), Gender: f("gender"), Ethnicity: f("ethnicity"),
			IDType: f("id_type"), IDNumber: f("id_number"), BirthDate: strings.TrimSpace(f("birth_date")), Role: f("role"),
			Custody: f("custody") != "", Measure: f("measure")})
	}
	return in
}

func (h *Handler) intake(w http.ResponseWriter, r *http.Request, u org.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := parseIntakeForm(r)
	id, err := h.Cases.Register(r.Context(), h.request(r, u), in)
	if v, ok := apperr.AsValidation(err); ok {
		// The shared label of "name" is 名称; here it is the case name.
		errs := h.messages(v, map[string]string{"name": "ui.case.name"})
		p, perr := h.intakePage(r, in)
		if perr != nil {
			return perr
		}
		p.invalid(errs, h.T.T("err.validation"))
		// The request path is POST /cases; the page is the intake form.
		p.NavPath = "/cases/new"
		return h.render(w, r, http.StatusUnprocessableEntity, "intake", p)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?flash=flash.registered")
}
