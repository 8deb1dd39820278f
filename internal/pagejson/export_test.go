package pagejson

// The page's codec, for the tests that hold it against encoding/json.
var (
	Encode = encode
	Decode = decode
)
