package chart

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// colours counts the pixels of each colour in img.
func colours(img image.Image) map[color.RGBA]int {
	out := map[color.RGBA]int{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			out[c]++
		}
	}
	return out
}

func TestBars(t *testing.T) {
	vals := []float64{12.5, 30, math.NaN(), 7, 22}
	b, err := Bars(vals, Options{Highlight: []int{1}, Reference: 18, ShowReference: true})
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	if got := img.Bounds().Size(); got != image.Pt(DefaultWidth, DefaultHeight) {
		t.Errorf("size = %v, want %dx%d", got, DefaultWidth, DefaultHeight)
	}
	cs := colours(img)
	for name, c := range map[string]color.RGBA{"background": Background, "axis": AxisColour, "grid": GridColour,
		"bar": BarColour, "highlight": HighlightColour, "reference": ReferenceColour} {
		if cs[c] == 0 {
			t.Errorf("no %s pixels", name)
		}
	}
	if cs[Background] < DefaultWidth*DefaultHeight/2 {
		t.Errorf("only %d background pixels: not a white chart", cs[Background])
	}
	// The highlighted bar (30) is the tallest and wider than any reference
	// dash: its colour fills a solid column at its slot centre.
	c, _ := newCanvas(vals, Options{})
	_, mid, _ := c.slot(1)
	if got := color.RGBAModel.Convert(img.At(mid, c.y(15))).(color.RGBA); got != HighlightColour {
		t.Errorf("centre of the highlighted bar is %v", got)
	}
	_, mid, _ = c.slot(0)
	if got := color.RGBAModel.Convert(img.At(mid, c.y(6))).(color.RGBA); got != BarColour {
		t.Errorf("centre of bar 0 is %v", got)
	}
	// The NaN slot stays empty above the zero line.
	_, mid, _ = c.slot(2)
	if got := color.RGBAModel.Convert(img.At(mid+10, c.y(5))).(color.RGBA); got == BarColour || got == HighlightColour {
		t.Errorf("NaN slot has a bar")
	}

	again, err := Bars(vals, Options{Highlight: []int{1}, Reference: 18, ShowReference: true})
	if err != nil || !bytes.Equal(b, again) {
		t.Errorf("same input gave different bytes (%v)", err)
	}
	none, err := Bars(vals, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cs := colours(decode(t, none)); cs[HighlightColour] != 0 || cs[ReferenceColour] != 0 {
		t.Error("highlight or reference drawn without being asked for")
	}
}

func TestLine(t *testing.T) {
	vals := []float64{1.8, 1.7, math.NaN(), 1.6, 1.65, 1.5, 1.55, 1.4, 1.45, 1.5, 1.3, 1.35}
	b, err := Line(vals, Options{Width: 800, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	if got := img.Bounds().Size(); got != image.Pt(800, 300) {
		t.Errorf("size = %v", got)
	}
	cs := colours(img)
	if cs[LineColour] == 0 || cs[GridColour] == 0 || cs[AxisColour] == 0 {
		t.Errorf("colours = %v", cs)
	}
	c, _ := newCanvas(vals, Options{Width: 800, Height: 300})
	for i, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		_, x, _ := c.slot(i)
		if got := color.RGBAModel.Convert(img.At(x, c.y(v))).(color.RGBA); got != LineColour {
			t.Errorf("point %d at (%d,%d) is %v", i, x, c.y(v), got)
		}
	}
	again, _ := Line(vals, Options{Width: 800, Height: 300})
	if !bytes.Equal(b, again) {
		t.Error("same input gave different bytes")
	}
}

func TestEmptyAndBadInput(t *testing.T) {
	if _, err := Bars(nil, Options{}); !errors.Is(err, ErrNoValues) {
		t.Errorf("Bars(nil) = %v", err)
	}
	if _, err := Line([]float64{}, Options{}); !errors.Is(err, ErrNoValues) {
		t.Errorf("Line(empty) = %v", err)
	}
	if _, err := Line([]float64{1, math.Inf(1)}, Options{}); !errors.Is(err, ErrInfinite) {
		t.Errorf("Line(+Inf) = %v", err)
	}
	for name, o := range map[string]Options{
		"tiny":      {Width: 10},
		"huge":      {Height: 100000},
		"negative":  {Width: -5},
		"highlight": {Highlight: []int{3}},
		"reference": {ShowReference: true, Reference: math.NaN()},
	} {
		if _, err := Bars([]float64{1, 2, 3}, o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Nothing defined, or all zero: an empty frame, not a panic.
	for _, vals := range [][]float64{{math.NaN(), math.NaN()}, {0, 0, 0}, {math.NaN()}} {
		for _, f := range []func([]float64, Options) ([]byte, error){Bars, Line} {
			b, err := f(vals, Options{})
			if err != nil {
				t.Fatalf("%v: %v", vals, err)
			}
			cs := colours(decode(t, b))
			if allNaN := math.IsNaN(vals[0]); allNaN && cs[BarColour] != 0 {
				t.Errorf("%v: data drawn", vals)
			}
		}
	}
	// Negative values hang below the zero line.
	b, err := Bars([]float64{-5, 5}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newCanvas([]float64{-5, 5}, Options{})
	_, mid, _ := c.slot(0)
	if got := color.RGBAModel.Convert(decode(t, b).At(mid, c.y(-2.5))).(color.RGBA); got != BarColour {
		t.Errorf("negative bar missing: %v", got)
	}
}

func TestYAxis(t *testing.T) {
	for _, tt := range []struct {
		vals []float64
		o    Options
		want Axis
	}{
		{[]float64{12.5, 30, 7}, Options{}, Axis{0, 30, 10}},
		{[]float64{12.5, 24, 7}, Options{}, Axis{0, 25, 5}},
		{[]float64{1.87, 1.6}, Options{}, Axis{0, 2, 0.5}},
		{[]float64{96}, Options{}, Axis{0, 100, 20}},
		{[]float64{-5, 5}, Options{}, Axis{-6, 6, 2}},
		{[]float64{math.NaN()}, Options{}, Axis{0, 1, 0.2}},
		{[]float64{10}, Options{ShowReference: true, Reference: 40}, Axis{0, 40, 10}},
	} {
		got := YAxis(tt.vals, tt.o)
		if math.Abs(got.Min-tt.want.Min) > 1e-9 || math.Abs(got.Max-tt.want.Max) > 1e-9 || math.Abs(got.Step-tt.want.Step) > 1e-9 {
			t.Errorf("YAxis(%v) = %+v, want %+v", tt.vals, got, tt.want)
		}
	}
}
