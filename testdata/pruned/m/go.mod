module example.com/m

go 1.21

require example.com/d v0.0.0

replace (
	example.com/d => ../d
	example.com/e => ../e
)
