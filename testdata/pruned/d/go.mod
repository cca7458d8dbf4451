module example.com/d

go 1.21

require example.com/e v0.0.0
