/**
 * The stylesheet and script of the HTML report, inline in the page: the report is one file that loads
 * nothing (its Content-Security-Policy allows exactly these two texts, by hash, and nothing else).
 */

export const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2328;--muted:#656d76;--line:#d8dee4;--err:#cf222e;--err-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;--ok:#1a7f37;--ok-bg:#dafbe1;--code:#f6f8fa;--mark:#ffd8b5;--accent:#0969da;--on-sev:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--ink:#e6edf3;--muted:#8d96a0;--line:#30363d;--err:#ff7b72;--err-bg:#3c1618;--warn:#d29922;--warn-bg:#341a04;--ok:#3fb950;--ok-bg:#0f2d1a;--code:#0d1117;--mark:#5a3a12;--accent:#4493f8;--on-sev:#0d1117}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
a{color:var(--accent)}
.top{position:sticky;top:0;z-index:2;background:var(--card);border-bottom:1px solid var(--line);padding:14px 28px 10px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
.title{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 18px}
h1{font-size:20px;margin:0}
.totals{color:var(--muted)}
.totals b{color:var(--ink)}
.totals .e{color:var(--err)}.totals .w{color:var(--warn)}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:10px}
.chip{display:inline-flex;align-items:center;gap:6px;border:1px solid var(--line);border-radius:999px;padding:3px 12px 3px 8px;cursor:pointer;user-select:none;background:var(--card)}
.chip input{margin:0;accent-color:var(--accent)}
.chip.error{border-color:var(--err);color:var(--err)}.chip.warning{border-color:var(--warn);color:var(--warn)}.chip.clean{color:var(--ok);border-color:var(--ok)}
.chip:not(.order):has(input:not(:checked)){opacity:.5}
select{font:inherit;border:1px solid var(--line);border-radius:6px;padding:3px 6px;background:var(--card);color:var(--ink)}
.shown{color:var(--muted);margin-left:auto}
.strip{display:flex;height:22px;margin-top:10px;border-radius:4px;overflow:hidden;background:var(--line);gap:1px}
.strip a{flex:1 1 0;min-width:1px;background:var(--ok-bg)}
.strip a.error{background:var(--err)}.strip a.warning{background:var(--warn)}
.strip a.off{opacity:.2}
.strip a:hover{outline:2px solid var(--ink);z-index:1}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:12px;margin-top:2px}
main{max-width:1180px;margin:0 auto;padding:18px 28px 60px}
h2{font-size:15px;margin:22px 0 8px;color:var(--muted);font-weight:600}
ol.timeline{list-style:none;margin:0;padding:0}
li.migration{position:relative;padding:0 0 12px 30px;content-visibility:auto;contain-intrinsic-size:auto 120px}
li.migration::after{content:"";position:absolute;left:9px;top:0;bottom:0;width:2px;background:var(--line)}
li.migration:first-child::after{top:16px}li.migration:last-child::after{bottom:auto;height:16px}li.migration:only-child::after{display:none}
li.migration::before{content:"";position:absolute;z-index:1;left:3px;top:11px;width:14px;height:14px;border-radius:50%;background:var(--ok);border:3px solid var(--bg)}
li.migration.error::before{background:var(--err)}li.migration.warning::before{background:var(--warn)}
li.migration[hidden]{display:none}
li.migration{scroll-margin-top:160px}
body.newest ol.timeline{display:flex;flex-direction:column-reverse}
body.newest li.migration:first-child::after{top:0;bottom:auto;height:16px}body.newest li.migration:last-child::after{top:16px;bottom:0;height:auto}
.chip.order{color:var(--muted)}
details{background:var(--card);border:1px solid var(--line);border-radius:8px}
li.migration.error>details{border-left:4px solid var(--err)}li.migration.warning>details{border-left:4px solid var(--warn)}
summary{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px;padding:8px 14px;cursor:pointer;list-style:none}
summary::-webkit-details-marker{display:none}
summary::before{content:"\\25B8";color:var(--muted);width:10px}
details[open]>summary::before{content:"\\25BE"}
time{color:var(--muted);font-variant-numeric:tabular-nums;min-width:118px}
.name{font-weight:600;word-break:break-all}
.badges{display:inline-flex;gap:6px}
.badge{border-radius:999px;padding:0 8px;font-size:12px;font-weight:600}
.badge.error{background:var(--err-bg);color:var(--err)}.badge.warning{background:var(--warn-bg);color:var(--warn)}.badge.clean{background:var(--ok-bg);color:var(--ok)}.badge.muted{background:var(--code);color:var(--muted)}
.path{color:var(--muted);font-size:12px;margin-left:auto;word-break:break-all}
.body{padding:0 14px 12px}
.finding{border-top:1px solid var(--line);padding:10px 0 4px}
body.hide-error .finding.error[data-severity],body.hide-warning .finding.warning[data-severity]{display:none}
details.suppressed{border:0;border-top:1px solid var(--line);border-radius:0;margin-top:8px}
details.suppressed>summary{padding:8px 0;color:var(--muted);font-weight:600}
details.suppressed .finding{opacity:.75}
.suppression{margin:6px 0;color:var(--muted);font-style:italic}
.fhead{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px}
.sev{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:0 6px}
.sev.error{background:var(--err);color:var(--on-sev)}.sev.warning{background:var(--warn);color:var(--on-sev)}
.rule{font-weight:600}
.at{color:var(--muted)}
.fid{color:var(--muted);font-size:11px;margin-left:auto}
.message{margin:6px 0}
pre.sql{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:6px 0;margin:6px 0;overflow-x:auto;line-height:1.45}
pre.sql span.ln{display:inline-block;width:3.5em;padding-right:10px;text-align:right;color:var(--muted);user-select:none}
pre.sql mark{background:var(--mark);color:inherit;border-radius:2px}
pre.sql .more{color:var(--muted);padding-left:4.2em}
.help{margin:6px 0;padding-left:10px;border-left:3px solid var(--ok)}
.help b,.lockline b{font-weight:600}
.lockline{margin:6px 0;color:var(--muted)}
.measured{color:var(--accent);font-weight:600;font-size:12.5px;margin-right:4px}
.lock{display:inline-block;border-radius:4px;padding:0 6px;margin-right:6px;font-size:12px;background:var(--code);border:1px solid var(--line);color:var(--ink)}
.lock.reads{border-color:var(--err);color:var(--err)}.lock.writes{border-color:var(--warn);color:var(--warn)}.lock.new{opacity:.6}
table.locks{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:13px}
table.locks caption{text-align:left;color:var(--muted);font-weight:600;padding:6px 0}
table.locks td,table.locks th{border-top:1px solid var(--line);padding:3px 8px 3px 0;vertical-align:top;text-align:left}
table.locks th{color:var(--muted);font-weight:600}
table.locks .effect{color:var(--muted);font-size:12.5px}
table.locks td.stmt{max-width:520px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.empty{color:var(--muted);padding:8px 0}
.note{color:var(--muted);font-size:12.5px}
@media print{.top{position:static;box-shadow:none}.controls,.strip,.axis{display:none}li.migration{content-visibility:visible}}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
`;

/**
 * Filters: severities and one rule hide findings through attributes on <body> (the stylesheet does the rest);
 * each migration's `data-counts` (`e3:2 w0:1`: errors and warnings by rule index) says whether it still shows
 * a finding, without looking at its findings.
 */
export const SCRIPT = `
(function(){
  var body=document.body;
  var boxes=[].slice.call(document.querySelectorAll("input[data-filter]"));
  var rule=document.getElementById("rule");
  var migrations=[].slice.call(document.querySelectorAll("li.migration"));
  var ticks=document.querySelectorAll(".strip a");
  var shown=document.getElementById("shown");
  function apply(){
    var on={};
    boxes.forEach(function(b){on[b.getAttribute("data-filter")]=b.checked;});
    var only=rule?rule.value:"";
    body.classList.toggle("hide-error",!on.error);
    body.classList.toggle("hide-warning",!on.warning);
    if(only)body.setAttribute("data-only",only);else body.removeAttribute("data-only");
    var visibleMigrations=0,visibleFindings=0;
    migrations.forEach(function(m,i){
      var counts=m.getAttribute("data-counts"),left=0;
      if(counts)counts.split(" ").forEach(function(c){
        var severity=c.charAt(0)==="e"?"error":"warning",colon=c.indexOf(":");
        if(on[severity]&&(!only||"r"+c.slice(1,colon)===only))left+=+c.slice(colon+1);
      });
      var visible=counts?left>0:(on.clean&&!only);
      if(m.hidden===visible){m.hidden=!visible;if(ticks[i])ticks[i].classList.toggle("off",!visible);}
      if(visible)visibleMigrations++;
      visibleFindings+=left;
    });
    if(shown)shown.textContent="Showing "+visibleFindings+" finding"+(visibleFindings===1?"":"s")+" in "+visibleMigrations+" of "+migrations.length+" migration"+(migrations.length===1?"":"s");
  }
  boxes.forEach(function(b){b.addEventListener("change",apply);});
  if(rule)rule.addEventListener("change",apply);
  var newest=document.getElementById("newest");
  if(newest)newest.addEventListener("change",function(){body.classList.toggle("newest",newest.checked);});
  Array.prototype.forEach.call(ticks,function(t){t.addEventListener("click",function(){var m=document.getElementById(t.getAttribute("href").slice(1));if(m){var d=m.querySelector("details");if(d)d.open=true;}});});
  apply();
})();
`;
