import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClassTermCounts, classTfIdf, labelFromKeywords } from '../../src/labeling/class-tf-idf.ts';
import { ENGLISH_STOP_WORDS } from '../../src/labeling/stop-words.ts';
import { terms } from '../../src/labeling/tokenize.ts';

test('scores follow tf × log(1 + A / f_t), computed by hand on two classes', () => {
  // Class A: x×3, y×1. Class B: y×3, z×1. Totals 4 and 4, so A = 4; f_x = 3, f_y = 4, f_z = 1.
  const ranked = classTfIdf([new Map([['x', 3], ['y', 1]]), new Map([['y', 3], ['z', 1]])], 10);
  assert.deepEqual(ranked.map((r) => r.map((t) => t.term)), [['x', 'y'], ['y', 'z']]);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≈ ${b}`);
  close(ranked[0]![0]!.score, (3 / 4) * Math.log(1 + 4 / 3));
  close(ranked[0]![1]!.score, (1 / 4) * Math.log(1 + 4 / 4));
  close(ranked[1]![0]!.score, (3 / 4) * Math.log(1 + 4 / 4));
  close(ranked[1]![1]!.score, (1 / 4) * Math.log(1 + 4 / 1));
});

test('the tokenizer keeps content words and adjacent-word bigrams, drops stop words and numbers', () => {
  assert.deepEqual(terms('The battery of the phone'), ['battery', 'phone']);
  assert.deepEqual(terms('New USB-C cable, 2 metres!'), ['new', 'usb-c', 'new usb-c', 'cable', 'usb-c cable', 'metres']);
  assert.deepEqual(terms("It's what we've got in 2024"), []);
  assert.deepEqual(terms('Fast charging; fast charging.'), ['fast', 'charging', 'fast charging', 'fast', 'charging', 'fast charging']);
});

test('on a small corpus the words that set a cluster apart rank first and stop words never appear', () => {
  const corpus = [
    ['Great battery and fast charging', 'The battery lasts all day, great charger', 'Battery died after a week of charging', 'Is this charger good for the battery?'],
    ['Great pasta with tomato sauce', 'The pasta recipe uses garlic and tomato sauce', 'Tomato sauce recipe from my grandmother', 'Pasta is good with basil'],
    ['Great goal in the football match', 'The football league starts today', 'What a match, the striker scored a goal', 'Football is good for you'],
  ];
  const counts = new ClassTermCounts(3);
  corpus.forEach((docs, c) => docs.forEach((d) => counts.addDocument(c, d)));
  assert.deepEqual(counts.documents, [4, 4, 4]);
  const ranked = classTfIdf(counts.counts, 10, counts.documents);
  assert.deepEqual(ranked.map((r) => r[0]!.term), ['battery', 'pasta', 'football']);
  for (const list of ranked) {
    for (const { term } of list) for (const word of term.split(' ')) assert.ok(!ENGLISH_STOP_WORDS.has(word), `stop word '${word}' in '${term}'`);
    // 'great' and 'good' occur in every cluster: below every cluster's own words.
    const shared = list.findIndex((t) => t.term === 'great' || t.term === 'good');
    assert.ok(shared === -1 || shared >= 2, JSON.stringify(list));
  }
  assert.ok(ranked[1]!.slice(0, 4).some((t) => t.term === 'tomato sauce'), 'a repeated phrase ranks as a bigram');
});

test('labels join the best two or three keywords that do not repeat one another', () => {
  assert.equal(labelFromKeywords(['battery', 'battery life', 'charging', 'usb-c', 'cable']), 'battery · charging · usb-c');
  assert.equal(labelFromKeywords(['tomato sauce', 'tomato', 'pasta']), 'tomato sauce · pasta');
  assert.equal(labelFromKeywords([]), null);
});
