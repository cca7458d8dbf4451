package fix

import (
	"fmt"
	"sync"
)

var total int64

func work(items []int) {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total++ // want `unsynchronized increment of total`
		}()
	}
	wg.Wait()
	fmt.Println(total)
}
