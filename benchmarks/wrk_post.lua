-- wrk script for benchmarks/run_quiz.py: wrk_report.lua's counting and JSON line, for a POST
-- (the reference write). Cookie and X-CSRFToken come as --header options.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk_report.lua")

wrk.method = "POST"
