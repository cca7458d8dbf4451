package concurrency

import "encoding/json"

// Summary facts travel as JSON inside gob. Every gob encoder and decoder
// negotiates the types it meets, and analysistest (the checker's
// SanityCheck) round-trips each fact a package inherits through fresh
// ones, once per import edge: with Summary's dozen nested types that
// negotiation was a quarter to a third of the fixture tests' CPU. An
// opaque []byte is one type; encoding/json caches its per-type work, and
// encodes every exported field, as gob did, without a list to maintain.

// summaryJSON is Summary without its gob methods, for encoding/json.
type summaryJSON Summary

func (s *Summary) GobEncode() ([]byte, error) { return json.Marshal((*summaryJSON)(s)) }

func (s *Summary) GobDecode(data []byte) error { return json.Unmarshal(data, (*summaryJSON)(s)) }
