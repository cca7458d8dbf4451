package ssautil

import "golang.org/x/tools/go/ssa"

// SearchBlocks searches depth first the code reachable from the
// instruction at index from of start, each block once (the start block
// also from its entry, when from > 0 and a path comes back to it),
// passing over the blocks skip holds for (skip may be nil). visit sees a
// block's instructions from where the search enters it; it returns found
// to end the search, which then reports true, and cut not to go on to
// b's successors (it may push blocks of its own instead).
func SearchBlocks(start *ssa.BasicBlock, from int, skip func(*ssa.BasicBlock) bool, visit func(b *ssa.BasicBlock, instrs []ssa.Instruction, push func(*ssa.BasicBlock)) (found, cut bool)) bool {
	type item struct {
		b    *ssa.BasicBlock
		from int
	}
	seen := make(map[*ssa.BasicBlock]bool)
	stack := []item{{start, from}}
	push := func(b *ssa.BasicBlock) { stack = append(stack, item{b, 0}) }
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.from == 0 {
			if seen[it.b] || skip != nil && skip(it.b) {
				continue
			}
			seen[it.b] = true
		}
		found, cut := visit(it.b, it.b.Instrs[it.from:], push)
		if found {
			return true
		}
		if !cut {
			for _, s := range it.b.Succs {
				push(s)
			}
		}
	}
	return false
}

// SearchFrom reports whether an instruction satisfying match runs from
// instruction start of b on, on a path that passes no instruction
// satisfying stop (stop is asked first).
func SearchFrom(b *ssa.BasicBlock, start int, stop, match func(ssa.Instruction) bool) bool {
	return SearchBlocks(b, start, nil, func(_ *ssa.BasicBlock, instrs []ssa.Instruction, _ func(*ssa.BasicBlock)) (bool, bool) {
		for _, instr := range instrs {
			if stop(instr) {
				return false, true
			}
			if match(instr) {
				return true, false
			}
		}
		return false, false
	})
}

// SendsValue reports whether instr sends v as the value, not the channel:
// a send statement or a select's send case. v then reaches whoever
// receives it.
func SendsValue(instr ssa.Instruction, v ssa.Value) bool {
	switch x := instr.(type) {
	case *ssa.Send:
		return x.X == v
	case *ssa.Select:
		for _, st := range x.States {
			if st.Send == v {
				return true
			}
		}
	}
	return false
}
