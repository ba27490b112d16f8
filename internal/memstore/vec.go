package memstore

import "slices"

// chunkBits sizes the chunks of a vec: 256 entries, so changing one entry
// copies 256 pointers and the table of chunks (a 400th of the entries).
const chunkBits = 8

const chunkSize = 1 << chunkBits

// vec is a growable array shared between stores: a store derived from
// another (see Apply) copies only the chunks it changes. No slice library
// in use offers this with plain indexing at slice speed on reads, which
// every traversal does per node it visits.
type vec[T any] struct {
	chunks [][]T
	n      int
}

func newVec[T any](items []T) vec[T] {
	v := vec[T]{n: len(items)}
	for start := 0; start < len(items); start += chunkSize {
		chunk := make([]T, min(chunkSize, len(items)-start), chunkSize)
		copy(chunk, items[start:])
		v.chunks = append(v.chunks, chunk)
	}
	return v
}

func (v *vec[T]) len() int { return v.n }

func (v *vec[T]) at(i int64) T { return v.chunks[i>>chunkBits][i&(chunkSize-1)] }

// vecEdit derives a new vec from one that stays as it was: each chunk is
// copied the first time it is changed.
type vecEdit[T any] struct {
	v     vec[T]
	owned map[int]bool
}

func (v *vec[T]) edit() *vecEdit[T] {
	return &vecEdit[T]{v: vec[T]{chunks: slices.Clone(v.chunks), n: v.n}, owned: map[int]bool{}}
}

func (e *vecEdit[T]) own(c int) {
	if !e.owned[c] {
		chunk := make([]T, len(e.v.chunks[c]), chunkSize)
		copy(chunk, e.v.chunks[c])
		e.v.chunks[c] = chunk
		e.owned[c] = true
	}
}

func (e *vecEdit[T]) set(i int64, x T) {
	c := int(i >> chunkBits)
	e.own(c)
	e.v.chunks[c][i&(chunkSize-1)] = x
}

// push appends x and returns its index.
func (e *vecEdit[T]) push(x T) int64 {
	i := e.v.n
	if i%chunkSize == 0 {
		e.v.chunks = append(e.v.chunks, make([]T, 0, chunkSize))
		e.owned[len(e.v.chunks)-1] = true
	}
	c := len(e.v.chunks) - 1
	e.own(c)
	e.v.chunks[c] = append(e.v.chunks[c], x)
	e.v.n++
	return int64(i)
}

func (e *vecEdit[T]) done() vec[T] { return e.v }
