-- wrk script: GET /api/search with varied queries and parameters.
-- Queries come from the file in $QUERIES (one per line, # comments); each thread starts at a
-- different line so that the 64 connections do not all ask the same thing at once.

local queries = {}
for line in io.lines(os.getenv("QUERIES") or "bench/load/queries.txt") do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    queries[#queries + 1] = line
  end
end
assert(#queries > 0, "no queries")

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local n = 0
local days = { "2015-07-21", "2015-07-28", "2015-08-04", "2015-08-11" }

function init(args)
  n = math.random(1, 1000)
end

function request()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  local path = "/api/search?q=" .. encode(q)
  local kind = n % 10
  if kind == 1 then
    path = path .. "&limit=20&offset=" .. tostring(n % 5 * 20)
  elseif kind == 2 then
    path = path .. "&from=" .. days[(n % #days) + 1] .. "&to=2015-08-31"
  elseif kind == 3 then
    path = path .. "&mode=words"
  elseif kind == 4 then
    path = path .. "&facets=false"
  end
  return wrk.format("GET", path)
end
