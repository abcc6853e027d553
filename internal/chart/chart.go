// Package chart draws simple bar and line charts as PNG images for the
// documents anguan generates (the monthly analysis report). Only the
// standard library is used, and no text is drawn: a static binary cannot
// count on a CJK font, so titles, labels and values go into the document
// next to the image, as text and tables. The same input always gives the
// same bytes.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Default image size in pixels: 2:1, sharp at the full text width of an A4
// page.
const (
	DefaultWidth  = 1200
	DefaultHeight = 600
	minSide       = 100
	maxSide       = 4000
	maxValues     = 1000
)

// Colours of the chart. The document describes them in words ("本单位以红色
// 柱表示"), so they are part of the API.
var (
	Background      = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	AxisColour      = color.RGBA{0x40, 0x40, 0x40, 0xFF}
	GridColour      = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}
	BarColour       = color.RGBA{0x4A, 0x7E, 0xBB, 0xFF} // blue
	HighlightColour = color.RGBA{0xC8, 0x3A, 0x32, 0xFF} // red
	ReferenceColour = color.RGBA{0xE0, 0x8E, 0x0B, 0xFF} // orange, dashed
	LineColour      = color.RGBA{0x4A, 0x7E, 0xBB, 0xFF}
)

// Palette indexes; a paletted image keeps the files small (a few kB).
const (
	iBackground = iota
	iAxis
	iGrid
	iBar
	iHighlight
	iReference
	iLine
)

var palette = color.Palette{Background, AxisColour, GridColour, BarColour, HighlightColour, ReferenceColour, LineColour}

// Options shape a chart. The zero value is a 1200×600 chart with no
// highlight and no reference line.
type Options struct {
	// Width and Height are the image size in pixels (100 to 4000); 0 takes
	// the default.
	Width, Height int
	// Highlight lists the indexes of the bars drawn in HighlightColour
	// instead of BarColour (Bars only).
	Highlight []int
	// Reference, when ShowReference is set, draws a dashed horizontal line
	// at that value (an average, a target).
	Reference     float64
	ShowReference bool
}

// Errors.
var (
	ErrNoValues = errors.New("chart: no values")
	ErrInfinite = errors.New("chart: infinite value")
)

// Axis is the vertical scale of a chart: from Min to Max with a grid line
// every Step. The document states it in words, as the image has no labels.
type Axis struct {
	Min, Max, Step float64
}

// YAxis is the scale Bars and Line use for values and o: it always
// includes zero and the reference, and ends on grid lines at steps of 1, 2
// or 5 times a power of ten, about five of them. NaN values are ignored.
func YAxis(values []float64, o Options) Axis {
	lo, hi := 0.0, 0.0
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if o.ShowReference && !math.IsNaN(o.Reference) && !math.IsInf(o.Reference, 0) {
		lo, hi = min(lo, o.Reference), max(hi, o.Reference)
	}
	if hi == lo {
		hi = lo + 1 // all zero or nothing defined: an empty 0–1 frame
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return Axis{Min: math.Floor(lo/step) * step, Max: math.Ceil(hi/step) * step, Step: step}
}

// canvas is a paletted image with the plot area and the value scale.
type canvas struct {
	img                      *image.Paletted
	left, top, right, bottom int // plot area, pixels (right and bottom exclusive)
	axis                     Axis
	slots                    int
}

func newCanvas(values []float64, o Options) (*canvas, error) {
	if len(values) == 0 {
		return nil, ErrNoValues
	}
	if len(values) > maxValues {
		return nil, fmt.Errorf("chart: %d values, at most %d", len(values), maxValues)
	}
	for i, v := range values {
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w at %d", ErrInfinite, i)
		}
	}
	if o.ShowReference && (math.IsNaN(o.Reference) || math.IsInf(o.Reference, 0)) {
		return nil, fmt.Errorf("chart: reference %v is not a number", o.Reference)
	}
	w, h := o.Width, o.Height
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	if w < minSide || w > maxSide || h < minSide || h > maxSide {
		return nil, fmt.Errorf("chart: size %d×%d outside %d to %d pixels", w, h, minSide, maxSide)
	}
	// A paletted image starts at index 0, the white background.
	img := image.NewPaletted(image.Rect(0, 0, w, h), palette)
	// Margins of 5% keep the axes off the edge without room for labels,
	// which the image does not have.
	mx, my := max(w/20, 10), max(h/12, 10)
	c := &canvas{img: img, left: mx, top: my, right: w - mx, bottom: h - my, axis: YAxis(values, o), slots: len(values)}
	c.grid()
	return c, nil
}

// y maps a value to a pixel row.
func (c *canvas) y(v float64) int {
	a := c.axis
	f := (v - a.Min) / (a.Max - a.Min)
	return c.bottom - 1 - int(math.Round(f*float64(c.bottom-1-c.top)))
}

// slot returns the pixel columns of slot i: its left edge, centre and width.
func (c *canvas) slot(i int) (x0, mid int, width float64) {
	width = float64(c.right-c.left) / float64(c.slots)
	x0 = c.left + int(math.Round(float64(i)*width))
	mid = c.left + int(math.Round((float64(i)+0.5)*width))
	return x0, mid, width
}

// grid draws the horizontal grid lines, the axes and a tick under each
// slot centre, so the bars or points can be matched to the table's
// columns.
func (c *canvas) grid() {
	a := c.axis
	n := int(math.Round((a.Max - a.Min) / a.Step))
	for k := 0; k <= n; k++ {
		c.rect(c.left, c.y(a.Min+float64(k)*a.Step), c.right, c.y(a.Min+float64(k)*a.Step)+1, iGrid)
	}
	c.rect(c.left-2, c.top, c.left+1, c.bottom, iAxis) // vertical axis
	zero := c.y(0)
	c.rect(c.left-2, zero-1, c.right, zero+2, iAxis) // the zero line
	tick := max((c.img.Rect.Dy()-c.bottom)/3, 4)
	for i := range c.slots {
		_, mid, _ := c.slot(i)
		c.rect(mid-1, c.bottom, mid+1, c.bottom+tick, iAxis)
	}
}

// rect fills [x0,x1)×[y0,y1), clipped to the image.
func (c *canvas) rect(x0, y0, x1, y1 int, idx uint8) {
	r := image.Rect(x0, y0, x1, y1).Intersect(c.img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := c.img.Pix[c.img.PixOffset(r.Min.X, y):]
		for x := range r.Dx() {
			row[x] = idx
		}
	}
}

// disc fills a circle of radius r around (cx, cy).
func (c *canvas) disc(cx, cy, r int, idx uint8) {
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			if dx*dx+dy*dy <= r*r {
				if p := image.Pt(cx+dx, cy+dy); p.In(c.img.Rect) {
					c.img.SetColorIndex(p.X, p.Y, idx)
				}
			}
		}
	}
}

// segment draws a thick line by stamping discs every half pixel: simple,
// exact and deterministic, if not anti-aliased.
func (c *canvas) segment(x0, y0, x1, y1, r int, idx uint8) {
	dx, dy := float64(x1-x0), float64(y1-y0)
	steps := int(math.Ceil(2 * math.Max(math.Abs(dx), math.Abs(dy))))
	for s := 0; s <= steps; s++ {
		f := 0.0
		if steps > 0 {
			f = float64(s) / float64(steps)
		}
		c.disc(x0+int(math.Round(f*dx)), y0+int(math.Round(f*dy)), r, idx)
	}
}

// reference draws the dashed reference line.
func (c *canvas) reference(o Options) {
	if !o.ShowReference {
		return
	}
	y := c.y(o.Reference)
	dash := max(c.img.Rect.Dx()/60, 4)
	for x := c.left; x < c.right; x += 2 * dash {
		c.rect(x, y-1, min(x+dash, c.right), y+2, iReference)
	}
}

func (c *canvas) encode() ([]byte, error) {
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, c.img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Bars draws one vertical bar per value, left to right, from the zero line
// (downwards for negative values). A NaN value (undefined: a zero
// denominator) leaves its slot empty. Bars listed in o.Highlight are drawn
// in HighlightColour.
func Bars(values []float64, o Options) ([]byte, error) {
	c, err := newCanvas(values, o)
	if err != nil {
		return nil, err
	}
	for _, h := range o.Highlight {
		if h < 0 || h >= len(values) {
			return nil, fmt.Errorf("chart: highlighted bar %d outside 0 to %d", h, len(values)-1)
		}
	}
	zero := c.y(0)
	for i, v := range values {
		if math.IsNaN(v) {
			continue
		}
		x0, _, width := c.slot(i)
		pad := int(math.Round(width * 0.2))
		idx := uint8(iBar)
		for _, h := range o.Highlight {
			if h == i {
				idx = iHighlight
			}
		}
		top, bot := c.y(v), zero
		if top > bot {
			top, bot = bot, top
		}
		c.rect(x0+pad, top, x0+int(math.Round(width))-pad, bot, idx)
	}
	c.reference(o)
	return c.encode()
}

// Line draws the values as points joined by a line, one per slot at its
// centre (the positions of Bars' bars). A NaN value breaks the line.
func Line(values []float64, o Options) ([]byte, error) {
	c, err := newCanvas(values, o)
	if err != nil {
		return nil, err
	}
	c.reference(o)
	side := min(c.img.Rect.Dx(), c.img.Rect.Dy())
	thick, dot := max(side/200, 1), max(side/70, 3)
	for i := 1; i < len(values); i++ {
		if math.IsNaN(values[i-1]) || math.IsNaN(values[i]) {
			continue
		}
		_, x0, _ := c.slot(i - 1)
		_, x1, _ := c.slot(i)
		c.segment(x0, c.y(values[i-1]), x1, c.y(values[i]), thick, iLine)
	}
	for i, v := range values {
		if !math.IsNaN(v) {
			_, x, _ := c.slot(i)
			c.disc(x, c.y(v), dot, iLine)
		}
	}
	return c.encode()
}
