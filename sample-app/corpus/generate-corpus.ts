/**
 * Writes sample-app/corpus/corpus.json, the sample app's corpus: 3,000 short notes in 10 categories,
 * each with a topic, a category and a date, composed from the phrase lists below by a seeded random
 * generator, so the same file comes out every time (test/sample-app.test.ts checks that it does).
 * Written for this repository and released with it under its MIT licence; no outside text is used.
 *
 *   npx ts-node --transpile-only sample-app/corpus/generate-corpus.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One text of the corpus. `topic` is what the labelled queries (queries.json) are judged by. */
export interface CorpusText {
  title: string;
  body: string;
  category: string;
  topic: string;
  /** ISO date, YYYY-MM-DD. */
  date: string;
}

interface Category {
  topics: string[];
  /** Sentences about a topic; `{t}` is the topic. */
  openings: string[];
  /** Second sentences: advice or detail, topic-free. */
  details: string[];
}

const CATEGORIES: Record<string, Category> = {
  cooking: {
    topics: ['sourdough bread', 'pizza dough', 'fresh pasta', 'cold brew coffee', 'espresso', 'green tea', 'risotto', 'roast chicken', 'tomato soup', 'pancakes',
      'curry paste', 'fermented kimchi', 'chocolate cake', 'knife skills', 'cast iron pans', 'stir fry', 'vegetable stock', 'omelettes', 'dumplings', 'barbecue ribs'],
    openings: ['Getting {t} right starts with good ingredients and patience.', 'Most people overcomplicate {t}; a simple method works best.',
      'A weeknight version of {t} takes less time than you think.', 'The secret to {t} is controlling heat and timing.',
      'Home cooks often ask why their {t} turns out different every time.', 'Learning {t} teaches you more about cooking than any recipe book.'],
    details: ['Weigh the flour and water instead of using cups.', 'Taste as you go and season with salt at the end.', 'A hot oven and a heavy pan make the biggest difference.',
      'Let the dough rest overnight in the fridge for better flavour.', 'Fresh herbs added at the end keep their colour.', 'Use filtered water and grind the beans just before brewing.',
      'Keep the kitchen tidy and prepare everything before you light the stove.', 'Leftovers keep for three days in a sealed container.'],
  },
  fitness: {
    topics: ['marathon training', 'interval running', 'cycling endurance', 'swimming technique', 'yoga flexibility', 'strength training', 'kettlebell swings', 'rowing machine workouts',
      'trail running', 'stretching routines', 'push ups', 'squats', 'rest days', 'heart rate zones', 'climbing', 'core workouts', 'sprint drills', 'posture', 'walking', 'pilates'],
    openings: ['A plan for {t} should build slowly over several weeks.', 'Coaches agree that {t} pays off when done consistently.', 'Beginners can start {t} with just twenty minutes a day.',
      'Injuries from {t} usually come from doing too much too soon.', 'Tracking {t} in a training log shows your progress.', 'Many athletes add {t} to their weekly schedule.'],
    details: ['Warm up for ten minutes before any hard effort.', 'Sleep and recovery matter as much as the workout itself.', 'Increase weekly mileage by no more than ten percent.',
      'Good form beats heavy weight every time.', 'Drink water before, during and after the session.', 'A rest day each week prevents overtraining.',
      'Breathe steadily and keep your shoulders relaxed.', 'Mix easy sessions with a few hard ones.'],
  },
  gardening: {
    topics: ['tomato plants', 'composting', 'pruning roses', 'indoor herbs', 'raised beds', 'lawn care', 'fruit trees', 'seed starting', 'watering schedules', 'mulching',
      'houseplants', 'potatoes', 'garden pests', 'succulents', 'bulbs in autumn', 'pollinator flowers', 'soil testing', 'greenhouses', 'berry bushes', 'weeding'],
    openings: ['Spring is the best season to plan {t}.', 'Gardeners who try {t} for the first time make the same few mistakes.', 'With a little care, {t} rewards you all summer.',
      'Experienced growers swear by a simple routine for {t}.', 'Small gardens and balconies are fine for {t}.', 'The weather this year changed how we approach {t}.'],
    details: ['Water deeply in the morning rather than a little every evening.', 'Full sun means at least six hours of direct light.', 'Add compost to the soil every autumn.',
      'Check the leaves for aphids and slugs each week.', 'A layer of mulch keeps moisture in and weeds out.', 'Label your seedlings so you remember what you planted.',
      'Rotate crops each year to keep the soil healthy.', 'Cut back dead growth in late winter.'],
  },
  software: {
    topics: ['database indexes', 'vector search', 'embedded SQLite', 'unit tests', 'TypeScript types', 'git branches', 'code review', 'continuous integration', 'query planning', 'caching',
      'API design', 'logging', 'refactoring', 'containers', 'memory leaks', 'SQL joins', 'schema migrations', 'error handling', 'concurrency', 'full text search'],
    openings: ['Teams that invest in {t} ship with fewer surprises.', 'A short guide to {t} for developers new to the codebase.', 'Performance problems often trace back to {t}.',
      'We rewrote our approach to {t} after an outage.', 'Understanding {t} makes debugging production issues easier.', 'Most tutorials explain {t} with toy examples; real systems differ.'],
    details: ['Measure before you optimise and keep the benchmark in the repository.', 'Small pull requests get better reviews.', 'Write the failing test first, then fix the bug.',
      'Read the query plan to see whether the index is used.', 'Keep configuration in environment variables, not in code.', 'Automate the checks so nobody has to remember them.',
      'Document the decision and the reason next to the code.', 'Nearest neighbour search finds similar documents by their embeddings.'],
  },
  finance: {
    topics: ['monthly budgets', 'index funds', 'paying off debt', 'emergency savings', 'retirement accounts', 'credit scores', 'mortgages', 'tax returns', 'student loans', 'insurance',
      'compound interest', 'side income', 'grocery spending', 'car loans', 'inflation', 'stock dividends', 'rent versus buy', 'bank fees', 'financial goals', 'charitable giving'],
    openings: ['Getting a handle on {t} is the first step to financial calm.', 'Advisers see the same errors with {t} year after year.', 'A simple spreadsheet is enough to manage {t}.',
      'Young families ask about {t} more than anything else.', 'Rising prices changed the advice on {t}.', 'Start with {t} before thinking about anything riskier.'],
    details: ['Pay the highest interest debt first.', 'Automate a transfer to savings on payday.', 'Low cost funds spread risk across the whole market.',
      'Keep three to six months of expenses in cash.', 'Review subscriptions and cancel the ones you never use.', 'Read the fine print before signing anything.',
      'Time in the market beats timing the market.', 'Write down every expense for one month to see where the money goes.'],
  },
  travel: {
    topics: ['packing light', 'train journeys', 'hiking safety', 'camping trips', 'city breaks', 'travel insurance', 'jet lag', 'budget flights', 'road trips', 'hostels',
      'mountain huts', 'island hopping', 'travelling with kids', 'solo travel', 'learning phrases', 'night trains', 'national parks', 'cycling tours', 'winter holidays', 'museum visits'],
    openings: ['Planning {t} is half the fun of the holiday.', 'Seasoned travellers have strong opinions about {t}.', 'A checklist for {t} saves stress at the airport.',
      'We tried {t} for a month and learned a lot.', 'Off season is the best time for {t}.', 'Locals gave us the best advice about {t}.'],
    details: ['Carry water, a map and a warm jacket.', 'Book the first night in advance and keep the rest flexible.', 'A single carry-on bag makes every transfer easier.',
      'Check the weather forecast the evening before.', 'Keep copies of your passport in a separate bag.', 'Pack a tent, a sleeping bag and a small stove.',
      'Eat where the locals eat, away from the main square.', 'Start early to avoid the crowds and the heat.'],
  },
  music: {
    topics: ['guitar chords', 'piano practice', 'singing lessons', 'home recording', 'music theory', 'drum rhythms', 'jazz improvisation', 'choir singing', 'violin bowing', 'songwriting',
      'vinyl records', 'concert etiquette', 'tuning instruments', 'sheet music', 'metronome practice', 'ukulele', 'mixing audio', 'microphones', 'ear training', 'band rehearsals'],
    openings: ['Progress in {t} comes from short daily sessions.', 'Teachers say {t} is where most students get stuck.', 'Adults returning to {t} often learn faster than children.',
      'A good routine for {t} fits in half an hour.', 'Recording yourself reveals a lot about {t}.', 'Musicians disagree about the best way into {t}.'],
    details: ['Practise slowly with a metronome, then speed up.', 'Listen to great recordings as often as you play.', 'Rest your hands when they feel tense.',
      'Learn songs you love; motivation matters.', 'Tune before every session.', 'Play with other people as soon as you can.',
      'Write down what you practised and what to fix next time.', 'A quiet room and decent headphones are enough to start.'],
  },
  science: {
    topics: ['black holes', 'the night sky', 'bird migration', 'climate records', 'volcanoes', 'ocean currents', 'solar eclipses', 'honey bees', 'fossils', 'the human genome',
      'quantum computing', 'renewable energy', 'telescopes', 'earthquakes', 'rainforests', 'the moon', 'coral reefs', 'microbes', 'comets', 'glaciers'],
    openings: ['New research sheds light on {t}.', 'Scientists still debate how {t} works.', 'A museum exhibit on {t} drew record crowds.',
      'Satellite data changed what we know about {t}.', 'Children are fascinated by {t}, and so are researchers.', 'A simple experiment shows the basics of {t}.'],
    details: ['Binoculars and patience are enough to begin observing.', 'The measurements span more than a century.', 'Citizen scientists contributed thousands of observations.',
      'The findings were published after peer review.', 'Models and field data now agree closely.', 'Dark skies away from city lights reveal far more.',
      'Warming oceans are changing the patterns.', 'The team shared its data openly for others to check.'],
  },
  health: {
    topics: ['sleep habits', 'healthy breakfasts', 'stress relief', 'hydration', 'screen time', 'vitamin D', 'back pain', 'meditation', 'seasonal allergies', 'healthy snacks',
      'eye strain', 'sugar intake', 'dental care', 'cold and flu', 'sun protection', 'mental health', 'standing desks', 'caffeine', 'fibre', 'breathing exercises'],
    openings: ['Doctors say {t} deserves more attention than it gets.', 'Small changes to {t} add up over a year.', 'A common myth about {t} keeps spreading online.',
      'Busy parents ask how to fit {t} into their day.', 'Research on {t} points in a clear direction.', 'Workplaces are starting to take {t} seriously.'],
    details: ['Go to bed and wake up at the same time every day.', 'Drink a glass of water with each meal.', 'Take a short walk every hour you sit.',
      'Talk to your doctor before starting supplements.', 'Fruit, vegetables and whole grains should fill most of the plate.', 'Put the phone away an hour before bed.',
      'Five minutes of slow breathing lowers tension.', 'Wear sunscreen even on cloudy days.'],
  },
  home: {
    topics: ['painting walls', 'fixing leaks', 'insulation', 'decluttering', 'furniture restoration', 'smart thermostats', 'cleaning routines', 'tiling', 'power tools', 'window repairs',
      'energy bills', 'small kitchens', 'storage ideas', 'laundry', 'lighting', 'moving house', 'rugs and carpets', 'garden sheds', 'home offices', 'wood floors'],
    openings: ['A weekend is enough for most {t} projects.', 'Tradespeople share their advice on {t}.', 'Renters can still improve {t} without losing the deposit.',
      'Before you start on {t}, check what tools you need.', 'The cost of {t} surprised us.', 'Our old house taught us a lot about {t}.'],
    details: ['Measure twice and cut once.', 'Turn off the water and power before any repair.', 'Good preparation is most of the job.',
      'Keep one box for things to donate.', 'Wear gloves and eye protection.', 'Seal the gaps around doors and windows.',
      'Ask for three quotes before hiring anyone.', 'Open the windows while the paint dries.'],
  },
};

const ANGLES = ['a beginner guide', 'common mistakes', 'what I learned', 'five tips', 'the basics', 'questions answered', 'a checklist', 'myths and facts', 'a short history', 'what changed this year'];

/** A small seeded PRNG (mulberry32), so the corpus is the same on every run and machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The corpus, `count` texts (3,000 by default), in a fixed order. */
export function generateCorpus(count = 3000, seed = 14): CorpusText[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const names = Object.keys(CATEGORIES);
  const seen = new Set<string>();
  const texts: CorpusText[] = [];
  const start = Date.UTC(2018, 0, 1);
  const days = Math.floor((Date.UTC(2025, 11, 31) - start) / 86_400_000);
  while (texts.length < count) {
    const category = names[texts.length % names.length]!;
    const { topics, openings, details } = CATEGORIES[category]!;
    const topic = pick(topics);
    const angle = pick(ANGLES);
    const title = `${topic[0]!.toUpperCase()}${topic.slice(1)}: ${angle}`;
    const first = pick(openings).replace('{t}', topic);
    let second = pick(details);
    let third = pick(details);
    while (third === second) third = pick(details);
    const body = next() < 0.5 ? `${first} ${second}` : `${first} ${second} ${third}`;
    if (seen.has(body)) continue;
    seen.add(body);
    const date = new Date(start + Math.floor(next() * days) * 86_400_000).toISOString().slice(0, 10);
    texts.push({ title, body, category, topic, date });
  }
  return texts;
}

export const CORPUS_FILE = path.join(__dirname, 'corpus.json');

/** The file's text for `texts`: one text a line, so diffs stay readable. */
export function corpusFileText(texts: readonly CorpusText[]): string {
  return `[\n${texts.map((t) => JSON.stringify(t)).join(',\n')}\n]\n`;
}

if (require.main === module) {
  const texts = generateCorpus();
  fs.writeFileSync(CORPUS_FILE, corpusFileText(texts));
  console.log(`Wrote ${texts.length} texts to ${path.relative(process.cwd(), CORPUS_FILE)}.`);
}
