-- wrk script: GET /api/search with varied queries and parameters.
-- Queries come from the file in $QUERIES (one per line, # comments); each thread starts at a
-- different line so that the 64 connections do not all ask the same thing at once.

-- queries.lua sits beside this script: found from the script's own path.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local shared = require("queries")
local queries = shared.read()
local encode = shared.encode

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
