package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// CardListPage is the list of case cards in the reader's scope.
type CardListPage struct {
	DataBase
	Filter     dataquality.CardFilter
	Rows       []CardRow
	Categories []CodeChoice
	Sources    []CodeChoice
	NextURL    string
}

// CardRow is one card of the list.
type CardRow struct {
	ID                                    int64
	StageNo, UniformNo, Category, Name    string
	Handler, ReceivedOn, ClosedOn, Source string
	SourceCode                            string
}

// categoryChoices lists the case categories (their names are the file's
// words for them).
func (h *Handler) categoryChoices(ctx context.Context) ([]CodeChoice, error) {
	cats, err := h.Cases.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CodeChoice, len(cats))
	for i, c := range cats {
		out[i] = CodeChoice{Code: c.Code, Label: c.Name}
	}
	return out, nil
}

func (h *Handler) cardList(w http.ResponseWriter, r *http.Request, u org.User) error {
	ctx, req := r.Context(), h.dataRequest(r, u)
	q := r.URL.Query()
	p := &CardListPage{DataBase: h.dataBase(u, h.T.T("ui.data.cards_title"), "/data/cards"),
		Filter: dataquality.CardFilter{Source: q.Get("source"), Category: q.Get("category"), Query: strings.TrimSpace(q.Get("q")),
			Problems: q.Get("problems") == "1", After: q.Get("after"), Limit: 50},
		Sources: h.codeChoices("dq_source.", []string{casecard.SourceImport, casecard.SourceCase})}
	var err error
	if p.Categories, err = h.categoryChoices(ctx); err != nil {
		return err
	}
	vocab, err := h.Data.Vocabulary(ctx)
	if err != nil {
		return err
	}
	cards, next, err := h.Data.ListCards(ctx, req, p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "dataquality_cards", p)
	}
	if err != nil {
		return err
	}
	for _, c := range cards {
		p.Rows = append(p.Rows, CardRow{ID: c.ID, StageNo: c.StageNo, UniformNo: c.UniformNo, Category: vocab.Name(c.Category),
			Name: c.Name, Handler: c.Handler, ReceivedOn: c.ReceivedOn, ClosedOn: c.ClosedOn,
			Source: h.T.T("dq_source." + c.Source), SourceCode: c.Source})
	}
	p.NextURL = nextURL("/data/cards", q, next)
	return h.render(w, r, http.StatusOK, "dataquality_cards", p)
}

// CardPage is one case card: its items (a form over every item when the
// reader may correct it), its problems and its change history.
type CardPage struct {
	DataBase
	Card       casecard.Card
	Category   string
	Source     string
	Items      []CardItem
	Problems   []ProblemView
	Open       int
	History    []CardHistoryView
	Editable   bool
	Version    int
	Categories []CodeChoice
	// NotEditable explains why an anguan case's card has no form.
	NotEditable string
}

// CardItem is one item of the card: its name, its value as stored (or as
// posted when the correction was refused), its kind for the control, and
// the open problems that name it.
type CardItem struct {
	Key, Header, Value, Shown string
	Kind                      string // text, date, flag, count, category
	Required                  bool
	Note                      string
	Error                     string
	Problems                  []ProblemView
}

// CardHistoryView is one recorded change of the card.
type CardHistoryView struct {
	At, Actor, How string
	Changes        []casecard.Change
}

var kindNames = map[casecard.Kind]string{casecard.KindText: "text", casecard.KindDate: "date", casecard.KindFlag: "flag",
	casecard.KindCount: "count", casecard.KindCategory: "category"}

func (h *Handler) cardDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showCard(w, r, u, http.StatusOK, nil, fieldErrors{})
}

// showCard renders a card; posted and errs are a refused correction's.
func (h *Handler) showCard(w http.ResponseWriter, r *http.Request, u org.User, status int, posted url.Values, errs fieldErrors) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.dataRequest(r, u)
	view, err := h.Data.GetCard(ctx, req, id)
	if err != nil {
		return err
	}
	vocab, err := h.Data.Vocabulary(ctx)
	if err != nil {
		return err
	}
	c := view.Card
	title := c.Name
	if title == "" {
		title = c.StageNo
	}
	p := &CardPage{DataBase: h.dataBase(u, title, "/data/cards"), Card: c, Category: vocab.Name(c.Category),
		Source: h.T.T("dq_source." + c.Source), Editable: view.Editable, Version: view.Version}
	if c.Source == casecard.SourceCase {
		p.NotEditable = h.T.T("err.dq_card_not_editable")
	}
	if posted != nil {
		p.Version = formInt(posted.Get("version")) // the version the user edited
	}
	today := h.Data.Today()
	p.Problems = h.problemViews(view.Problems, today)
	open := map[string][]ProblemView{}
	for _, pv := range p.Problems {
		if pv.StatusCode == dataquality.StatusOpen {
			open[pv.ItemKey] = append(open[pv.ItemKey], pv)
			p.Open++
		}
	}
	for _, col := range casecard.Columns {
		it := CardItem{Key: col.Key, Header: col.Header, Value: c.Value(col.Key), Kind: kindNames[col.Kind],
			Required: col.Required, Note: col.Note, Error: errs.byField[col.Key], Problems: open[col.Key]}
		it.Shown = it.Value
		if col.Kind == casecard.KindCategory {
			it.Shown = vocab.Name(it.Value)
		}
		if posted != nil {
			it.Value = posted.Get(col.Key)
		}
		p.Items = append(p.Items, it)
	}
	if p.Editable {
		if p.Categories, err = h.categoryChoices(ctx); err != nil {
			return err
		}
	}
	for _, hc := range view.History {
		hv := CardHistoryView{At: clock(hc.CreatedAt), Actor: hc.Actor, How: h.T.T("ui.data.card.corrected")}
		if hc.ImportID != 0 {
			hv.How = h.T.T("ui.data.card.reimported", hc.ImportID)
		}
		for _, ch := range hc.Changes {
			if ch.Key == "category" {
				ch.Old, ch.New = vocab.Name(ch.Old), vocab.Name(ch.New)
			}
			hv.Changes = append(hv.Changes, ch)
		}
		p.History = append(p.History, hv)
	}
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "dataquality_card", p)
}

// saveCard corrects an imported card: every item of the form, checked as
// a row of a file, and the card is scanned at once, so a problem the
// correction fixes closes on its own.
func (h *Handler) saveCard(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, col := range casecard.Columns {
		values[col.Key] = r.PostFormValue(col.Key)
	}
	res, err := h.Data.SaveCard(r.Context(), h.dataRequest(r, u), id, formInt(r.PostFormValue("version")), values)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showCard(w, r, u, http.StatusUnprocessableEntity, r.PostForm, h.messages(v, nil))
	}
	if err != nil {
		return err
	}
	flash := "flash.data_card_saved"
	if res.Fixed > 0 {
		flash = "flash.data_card_saved_fixed"
	}
	return seeOther(w, r, "/data/cards/"+strconv.FormatInt(id, 10)+"?flash="+flash)
}
