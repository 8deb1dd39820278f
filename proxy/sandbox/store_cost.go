package sandbox

// The store counts a message as the memory it takes, not only its bytes:
// the allocation that holds raw (rounded as Go's allocator rounds it), the
// strings and slices of its envelope, and the struct itself. With
// GOMEMLIMIT set from the same budget (proxy/server/memory.go), the storage
// cap is then a bound on what mail costs in RSS.

// messageOverhead is what a storedMessage costs besides its strings and raw:
// the struct (176 bytes as allocated) and its pointer in the mailbox's
// slice, which grows by doubling.
const messageOverhead = 192

// smallAlloc is Go's largest size-classed allocation; larger ones take
// whole 8 KiB pages.
const (
	smallAlloc = 32 << 10
	allocPage  = 8 << 10
)

// allocSize is about what the allocator takes for n bytes: small sizes
// round up to a size class (at most 1/8 more), large ones to whole pages.
func allocSize(n int) int64 {
	if n <= smallAlloc {
		return int64(n + n/8)
	}
	return int64((n + allocPage - 1) / allocPage * allocPage)
}

// cost is the memory m takes in the store.
func (m *storedMessage) cost() int64 {
	c := messageOverhead + allocSize(m.lead+cap(m.raw)) + int64(len(m.id)+len(m.from)+len(m.subject))
	for _, to := range m.to {
		c += int64(len(to)) + 16 // the string and its header in the slice
	}
	return c
}
