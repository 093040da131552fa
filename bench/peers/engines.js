'use strict';
// One long-lived process per peer engine, driven by bench/peers.py: the template and the data
// are read once, then each command on stdin (one JSON object a line) is answered with one JSON
// object a line on stdout.
//
//   node engines.js <docxtemplater|carbone> <template.docx> <data.json> <out dir>
//   {"cmd": "docx", "n": 100}                -> {"ms": [...]}   n renders one after another
//   {"cmd": "save", "kind": "docx"|"pdf"}    -> {"path": "..."} one output written to <out dir>
//   {"cmd": "pdf_start", "workers": 2}       -> {"started": true}   (carbone only)
//   {"cmd": "pdf", "n": 20, "workers": 2}    -> {"ms": [...], "wall_ms": x}   n PDFs, `workers`
//                                                 in flight at a time
// stdin closing ends the process (and Carbone's LibreOffice factories with it).

const fs = require('fs');
const path = require('path');
const readline = require('readline');

const [engineName, templatePath, dataPath, outDir] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(dataPath, 'utf8'));

function version (name) {
  return require(`${name}/package.json`).version;
}

function docxtemplater () {
  const PizZip = require('pizzip');
  const Docxtemplater = require('docxtemplater');
  const template = fs.readFileSync(templatePath);
  return {
    versions : { docxtemplater : version('docxtemplater'), pizzip : version('pizzip') },
    // A Docxtemplater instance renders once (a second render() throws): one per document.
    docx     : async () => {
      const doc = new Docxtemplater(new PizZip(template), { paragraphLoop : true, linebreaks : true });
      doc.render(data);
      return doc.getZip().generate({ type : 'nodebuffer', compression : 'DEFLATE' });
    }
  };
}

function carbone () {
  const engine = require('carbone');
  const render = (options) => new Promise((resolve, reject) => {
    engine.render(templatePath, data, options, (err, result) => {
      if (err) {
        reject(new Error(String(err)));
      }
      else {
        resolve(result);
      }
    });
  });
  return {
    versions : { carbone : version('carbone') },
    docx     : () => render({}), // convertTo unset: the DOCX itself, LibreOffice not involved
    pdf      : () => render({ convertTo : 'pdf' }),
    // startFactory starts `factories` LibreOffice + Python pairs now rather than on demand.
    pdfStart : (workers) => engine.set({ factories : workers, startFactory : true })
  };
}

const engines = { docxtemplater, carbone };
if (!engines[engineName]) {
  throw new Error(`unknown engine ${engineName}`);
}
const engine = engines[engineName]();

function msSince (began) {
  return Number(process.hrtime.bigint() - began) / 1e6;
}

async function timedSerial (render, n) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const began = process.hrtime.bigint();
    await render();
    ms.push(msSince(began));
  }
  return ms;
}

async function timedConcurrent (render, n, workers) {
  const ms = [];
  let next = 0;
  const lane = async () => {
    while (next < n) {
      next++;
      const began = process.hrtime.bigint();
      await render();
      ms.push(msSince(began));
    }
  };
  const began = process.hrtime.bigint();
  await Promise.all(Array.from({ length : workers }, lane));
  return { ms, wall_ms : msSince(began) };
}

async function handle (command) {
  switch (command.cmd) {
    case 'docx':
      return { ms : await timedSerial(engine.docx, command.n) };
    case 'save': {
      const render = command.kind === 'pdf' ? engine.pdf : engine.docx;
      const file = path.join(outDir, `${engineName}.${command.kind}`);
      fs.writeFileSync(file, await render());
      return { path : file };
    }
    case 'pdf_start':
      engine.pdfStart(command.workers);
      return { started : true };
    case 'pdf':
      return timedConcurrent(engine.pdf, command.n, command.workers);
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

async function main () {
  const reply = (object) => process.stdout.write(JSON.stringify(object) + '\n');
  reply({ ready : true, versions : engine.versions, node : process.version });
  const lines = readline.createInterface({ input : process.stdin });
  for await (const line of lines) {
    try {
      reply(await handle(JSON.parse(line)));
    }
    catch (err) {
      reply({ error : String(err && err.stack || err) });
    }
  }
  process.exit(0);
}

main();
