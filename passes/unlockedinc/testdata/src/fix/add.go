package fix

import (
	"strconv"
	"sync"
)

var total int64

func work(items []int) string {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total++ // want `unsynchronized increment of total`
		}()
	}
	wg.Wait()
	return strconv.FormatInt(total, 10)
}
