-- wrk script for the soak test: mixed searches, entity and story requests, and token-authenticated
-- uploads and deletes. Every thread logs the ids the server acknowledged to
-- $SOAK_LOG.<thread>: "added ID" (POST answered 200 with the id), "deleted ID" (DELETE 200).
-- The soak script checks afterwards that every acknowledged upload not later deleted is
-- searchable and that every acknowledged delete is gone.

-- queries.lua sits beside this script: found from the script's own path.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local shared = require("queries")
local queries = shared.read()
local encode = shared.encode
local token = assert(os.getenv("SOAK_TOKEN"), "SOAK_TOKEN not set")
local log_base = os.getenv("SOAK_LOG") or "bench/out/load/soak-acks"
-- SOAK_MIX=writes: uploads and deletes only (one each in turn), to profile the write path.
local writes_only = os.getenv("SOAK_MIX") == "writes"

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local n = 0
local log = nil
local added = {}     -- ids acknowledged to this thread, oldest first, not yet sent for deletion

function init(args)
  n = math.random(1, 1000)
  log = assert(io.open(log_base .. "." .. tostring(tid), "w"))
end

local function upload(id)
  -- The query text goes into JSON strings: its quotes and backslashes are escaped.
  local q = queries[(n % #queries) + 1]:gsub('[\\"]', "\\%0")
  local body = string.format(
    '{"id":"%s","title":"%s %d","content":"%s. تقرير اختبار التحمل رقم %d عن %s في الرياض وجدة.","source":"soak","date":"2015-08-0%d"}',
    id, q, n, q, n, q, (n % 9) + 1)
  return wrk.format("POST", "/api/documents", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

function request()
  n = n + 1
  local kind = n % 20
  if writes_only then
    kind = (n % 2) * 10
    if #added <= 4 then
      kind = 0
    end
  end
  if kind == 0 then
    return upload(string.format("soak-%d-%d", tid, n))
  elseif kind == 10 and #added > 4 then
    -- A delete that is not acknowledged (in flight when wrk stops, or refused) leaves the id
    -- in an unknown state: the check skips it.
    local id = table.remove(added, 1)
    log:write("deleting " .. id .. "\n")
    return wrk.format("DELETE", "/api/documents/" .. id, { ["Authorization"] = "Bearer " .. token })
  end
  local q = queries[(n % #queries) + 1]
  if kind == 5 then
    return wrk.format("GET", "/api/entities?q=" .. encode(q))
  elseif kind == 15 then
    return wrk.format("GET", "/api/stories?q=" .. encode(q))
  elseif kind == 3 then
    return wrk.format("GET", "/api/search?mode=words&q=" .. encode(q))
  elseif kind == 7 then
    return wrk.format("GET", "/api/search?from=2015-07-21&to=2015-08-31&q=" .. encode(q))
  end
  return wrk.format("GET", "/api/search?q=" .. encode(q))
end

-- Connections interleave, so what was acknowledged is read from the answer itself.
function response(status, headers, body)
  if status >= 500 then
    log:write("status " .. tostring(status) .. "\n")
  elseif status == 200 and body then
    local id = body:match('^{"added":.-"ids":%["(soak%-[%d%-]+)"')
    if id then
      log:write("added " .. id .. "\n")
      table.insert(added, id)
    else
      id = body:match('^{"deleted":"(soak%-[%d%-]+)"')
      if id then
        log:write("deleted " .. id .. "\n")
      end
    end
  end
  log:flush()
end

-- Latency percentiles (µs) for the report: wrk prints only 50/75/90/99.
function done(summary, latency, requests)
  local f = assert(io.open(log_base .. ".latency", "w"))
  for _, p in ipairs({ 50, 99, 99.9 }) do
    f:write(string.format("p%s %.1f ms\n", tostring(p), latency:percentile(p) / 1000))
  end
  f:close()
end
