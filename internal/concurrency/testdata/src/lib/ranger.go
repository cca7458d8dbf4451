package lib

// Log has a method named Range too, but not Ranger's: it keeps its
// callback. It is no implementation of Ranger, so RangeAll stays Sync.
type Log struct{ fns []func(string) }

func (l *Log) Range(f func(string)) { l.fns = append(l.fns, f) } // want Range:"p1:stored"
