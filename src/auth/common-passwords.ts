/**
 * Passwords that head the public breach corpora and "most used" rankings, plus the guesses an
 * attacker tries first against this particular service. NIST SP 800-63B §5.1.1.2 asks verifiers
 * to refuse such values when a password is chosen: credential-stuffing and spraying tools start
 * with exactly these, so the rate limit alone cannot stop them.
 *
 * Every entry is lower-case, NFKC-normalised and at least 8 characters long (shorter passwords are
 * refused by the length rule before this list is consulted); password-policy.spec.ts checks that.
 * Whole-password repetitions and sequences ("aaaaaaaa", "abcdefgh") are caught by a rule in
 * password-policy.ts, so the list need not spell every one of them out.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  // The word itself, its leetspeak and its translations.
  'password', 'password0', 'password1', 'password2', 'password3', 'password9', 'password01', 'password12',
  'password99', 'password123', 'password1234', 'password12345', 'password!', 'password1!', 'password123!',
  'password2024', 'password2025', 'password2026', 'passwords', 'passwordpassword', 'passw0rd', 'passw0rd1',
  'passw0rd!', 'p@ssword', 'p@ssword1', 'p@ssw0rd', 'p@ssw0rd1', 'p@ssw0rd!', 'p@55w0rd', 'pa55word',
  'pa55w0rd', 'pass1234', 'pass12345', 'pass123456', 'passpass', 'passpass1', 'mypassword', 'mypassword1',
  'newpassword', 'thepassword', 'secretpassword', 'nopassword', 'passwort', 'passwort1', 'motdepasse',
  'contraseña', 'contrasena', 'wachtwoord', 'salasana', 'senha123', 'parola123', 'haslo123',

  // Digits: runs, repeats, keypad shapes and dates.
  '12345678', '123456789', '1234567890', '0123456789', '12345678910', '1234554321', '123123123', '123321123',
  '12344321', '123451234', '11111111', '111111111', '1111111111', '00000000', '000000000', '0000000000',
  '22222222', '33333333', '44444444', '55555555', '66666666', '77777777', '88888888', '99999999', '12121212',
  '13131313', '69696969', '11223344', '112233445566', '12341234', '12312312', '11112222', '10203040',
  '987654321', '87654321', '9876543210', '147258369', '741852963', '147852369', '963852741', '123698745',
  '789456123', '456789123', '159357456', '159753456', '135792468', '246813579', '123654789', '321654987',
  '5201314520', '52013141', '1314520520', '01011980', '01011990', '01012000', '19901990', '20002000',
  '20202020', '19191919',

  // Keyboard walks, with and without the digits people add to them.
  'qwertyui', 'qwertyuiop', 'qwerty12', 'qwerty123', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'qwerty1!',
  'qwerty123!', 'qwerty!!', 'qwerty!@#', 'qwertyqwerty', 'qwertyu1', 'qwert123', 'qwert12345', 'asdfghjk',
  'asdfghjkl', 'asdfghjkl1', 'asdf1234', 'asdfasdf', 'asdfqwer', 'zxcvbnm1', 'zxcvbnm123', 'zxcvzxcv',
  'zxcv1234', 'qweasdzxc', 'qweasd123', 'qazwsxedc', 'qazwsx123', 'zaqxswcde', '1qaz2wsx', '1qaz2wsx3edc',
  '1qaz2wsx3edc4rfv', '1qazxsw2', '2wsx3edc', '3edc4rfv', 'zaq12wsx', 'zaq1zaq1', 'zaq1xsw2', 'xsw2zaq1',
  '!qaz2wsx', 'zaq!2wsx', '!qaz@wsx', '1qaz@wsx', 'zaq1@wsx', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y',
  '1q2w3e4r!', 'q1w2e3r4', 'q1w2e3r4t5', 'q1w2e3r4t5y6', '1234qwer', 'qwer1234', '123qweasd', '123qweasdzxc',
  'qwe123456', 'asd123456', 'zxc123456', 'poiuytrewq', 'mnbvcxz1', 'lkjhgfdsa', 'azertyui', 'azerty123',
  'azertyuiop', 'qwertzui', 'qwertz123', '!@#$%^&*', '!@#$%^&*()', '1234!@#$', '1q1q1q1q', 'a1a1a1a1',
  '1a1a1a1a',

  // Letters and digits glued together.
  'abcd1234', 'abcd12345', 'abc12345', 'abc123456', 'abcdefgh', 'abcdefg1', 'abcdefg123', 'abc123abc',
  '123abc123', '12345abc', 'a1b2c3d4', '1a2b3c4d', 'a1b2c3d4e5', 'ab123456', 'aa123456', 'aa12345678',
  'a12345678', 'a123456789', '123456789a', '12345678a', '1234567a', '1234567q', 'q1234567', 'qq123456',
  '88888888a', '11111111a', 'aaaa1111', 'abcabcabc', 'aaaaaaaa', 'aaaaaaaaa', 'zzzzzzzz', 'xxxxxxxx',
  'qqqqqqqq',

  // Affection.
  'iloveyou', 'iloveyou1', 'iloveyou2', 'iloveyou3', 'iloveyou!', 'iloveyou123', 'iloveu123', 'iloveme1',
  'ilovegod', 'ilovejesus', 'loveyou1', 'loveyou2', 'loveyou!', 'loveyou123', 'lovelove', 'loveme123',
  'lovers12', 'lovely123', 'mylove123', 'sweetheart', 'sweetie1', 'sweetpea', 'honeybee', 'honey123',
  'babygirl', 'babygirl1', 'babyboy1', 'baby1234', 'cutiepie', 'cutiepie1', 'princess', 'princess1',
  'princess12', 'princesa', 'princesse', 'angel123', 'angels12', 'angelina', 'beautiful', 'beautiful1',
  'forever1', 'soulmate', 'valentine', 'darling1',

  // Nice things, food and drink.
  'sunshine', 'sunshine1', 'sunflower', 'rainbow1', 'rainbows', 'butterfly', 'butterfly1', 'flower123',
  'flowers1', 'blossom1', 'chocolate', 'chocolate1', 'cookies1', 'cupcake1', 'candy123', 'cheese123',
  'pizza123', 'banana123', 'apple123', 'orange123', 'strawberry', 'blueberry', 'cherry123', 'peaches1',
  'pumpkin1', 'cinnamon', 'vanilla1', 'coffee123', 'icecream', 'bubblegum', 'marlboro', 'budlight',
  'guinness', 'heineken',

  // Sports, clubs and players.
  'football', 'football1', 'baseball', 'baseball1', 'basketball', 'basketball1', 'soccer123', 'soccer12',
  'hockey123', 'volleyball', 'softball', 'swimming', 'tennis123', 'skateboard', 'snowboard', 'liverpool',
  'liverpool1', 'chelsea1', 'chelsea123', 'arsenal1', 'arsenal123', 'manchester', 'barcelona', 'barcelona1',
  'juventus', 'realmadrid', 'tottenham', 'everton1', 'rangers1', 'yankees1', 'cowboys1', 'steelers',
  'packers1', 'raiders1', 'patriots', 'broncos1', 'dolphins', 'panthers', 'chargers', 'redskins', 'redwings',
  'bulldogs', 'wildcats', 'jordan23', 'michael23', 'lebron23', 'ronaldo7', 'cristiano', 'leomessi',

  // First names, alone or with digits.
  'michael1', 'michael123', 'jennifer', 'jennifer1', 'jessica1', 'jessica123', 'charlie1', 'charlie123',
  'ashley123', 'amanda123', 'daniel123', 'andrew123', 'joshua123', 'matthew1', 'nicole123', 'jasmine1',
  'samantha', 'samantha1', 'thomas123', 'robert123', 'anthony1', 'william1', 'victoria', 'brandon1',
  'hannah123', 'jordan123', 'justin123', 'taylor123', 'elizabeth', 'christina', 'christian', 'alexander',
  'alexandra', 'benjamin', 'jonathan', 'nicholas', 'patricia', 'jacqueline', 'stephanie', 'isabella',
  'danielle', 'gabriel1', 'natalie1', 'michelle', 'michelle1', 'melissa1', 'heather1', 'caroline',
  'courtney', 'brittany', 'kimberly', 'margaret', 'jackson1', 'maxwell1', 'charlotte', 'richard1',

  // Pets and animals.
  'monkey123', 'monkey12', 'dragon123', 'dragon12', 'dragonfly', 'tiger123', 'tigger123', 'tigger12',
  'elephant', 'dolphin1', 'penguin1', 'panther1', 'kitty123', 'kittycat', 'pussycat', 'puppy123',
  'buster123', 'snoopy123', 'bandit123', 'buddy123', 'lucky123', 'maggie123', 'molly123', 'bailey123',
  'cookie123', 'pepper123', 'ginger123', 'shadow123', 'shadow12', 'chicken1', 'unicorn1', 'hellokitty',
  'scoobydoo', 'goldfish',

  // Films, music, games and cartoons.
  'superman', 'superman1', 'batman123', 'batman12', 'spiderman', 'spiderman1', 'ironman1', 'starwars',
  'starwars1', 'skywalker', 'darthvader', 'pokemon1', 'pokemon123', 'pikachu1', 'minecraft', 'minecraft1',
  'fortnite', 'fortnite1', 'roblox123', 'naruto123', 'dragonball', 'harrypotter', 'hogwarts', 'gandalf1',
  'matrix123', 'trinity1', 'terminator', 'blink182', 'linkinpark', 'metallica', 'slipknot', 'nirvana1',
  'beatles1', 'eminem123', 'tupac123', 'snoopdog', 'justinbieber', 'onedirection', 'mickeymouse',
  'donaldduck', 'spongebob', 'spongebob1', 'simpsons', 'southpark', 'mario123', 'supermario', 'playstation',
  'nintendo', 'callofduty', 'counterstrike', 'warcraft', 'worldofwarcraft', 'gameover', 'pinkfloyd',
  'ledzeppelin', 'greenday', 'ironmaiden', 'rockstar', 'rocknroll', 'musician', 'guitar123', 'drummer1',

  // Computers, brands and the web.
  'computer', 'computer1', 'internet', 'internet1', 'samsung1', 'samsung123', 'iphone123', 'google123',
  'facebook', 'facebook1', 'twitter1', 'youtube1', 'instagram', 'yahoo123', 'hotmail1', 'gmail123',
  'microsoft', 'windows7', 'windows10', 'windowsxp', 'linux123', 'ubuntu123', 'oracle123', 'mysql123',
  'postgres', 'postgres1', 'database', 'database1', 'billabong', 'abercrombie', 'hollister',

  // Vendor defaults, admin accounts and "let me in".
  'changeme', 'changeme1', 'changeme123', 'changeit', 'default1', 'default123', 'administrator',
  'administrator1', 'admin123', 'admin1234', 'admin12345', 'adminadmin', 'admin@123', 'root1234', 'rootroot',
  'toor1234', 'superuser', 'sysadmin', 'user1234', 'user12345', 'username', 'username1', 'guest123',
  'test1234', 'test12345', 'test123456', 'testtest', 'tester123', 'testing1', 'testing123', 'temp1234',
  'temporary', 'demo1234', 'login123', 'login1234', 'access14', 'access123', 'passport', 'passport1',
  'security', 'security1', 'secure123', 'private1', 'secret123', 'secret12', 'topsecret', 'supersecret',
  'master123', 'master12', 'masterkey', 'mastermind', 'letmein1', 'letmein!', 'letmein12', 'letmein123',
  'letmeinnow', 'letmeout', 'opensesame', 'trustno1', 'welcome1', 'welcome12', 'welcome123', 'welcome!',
  'welcome1!', 'welcome2024', 'welcome2025', 'welcome2026',

  // Everyday words and phrases.
  'whatever', 'whatever1', 'nothing1', 'something', 'anything', 'everything', 'hello123', 'hello1234',
  'hellohello', 'helloworld', 'goodbye1', 'thankyou', 'goodluck', 'goodluck1', 'happy123', 'happiness',
  'smile123', 'freedom1', 'ninja123', 'hunter123', 'hunter12', 'killer123', 'godzilla', 'zeus1234',
  'jesus123', 'jesuschrist', 'blessed1', 'blessing', 'heaven123', 'godisgood', 'godbless', 'midnight',
  'scorpion', 'mountain', 'thunder1', 'phoenix1', 'warrior1', 'diamond1', 'platinum', 'sapphire',
  'crystal1', 'precious', 'remember', 'firebird', 'blizzard', 'hurricane', 'tornado1', 'lightning',
  'starlight', 'moonlight', 'twilight', 'paradise', 'universe', 'scorpio1', 'aquarius', 'capricorn',
  'christmas', 'snowflake', 'fireball', 'gangster', 'teacher1', 'student1', 'engineer', 'business',
  'money123', 'moneymaker', 'cashmoney', 'millionaire', 'treasure',

  // Calendar words and seasons with years: a favourite of forced-rotation policies.
  'february', 'september', 'november', 'december', 'saturday', 'thursday', 'wednesday', 'monday123',
  'friday13', 'january2025', 'december2025', 'summer123', 'summer12', 'summer2020', 'summer2021',
  'summer2022', 'summer2023', 'summer2024', 'summer2025', 'summer2026', 'winter2020', 'winter2021',
  'winter2022', 'winter2023', 'winter2024', 'winter2025', 'winter2026', 'spring2024', 'spring2025',
  'spring2026', 'autumn2024', 'autumn2025', 'autumn2026', 'fall2024', 'fall2025', 'fall2026',

  // Places and cars.
  'newyork1', 'california', 'london12', 'paris1234', 'chicago1', 'texas123', 'florida1', 'australia',
  'colombia', 'mexico123', 'scotland', 'portugal', 'pakistan', 'bangladesh', 'indonesia', 'canada123',
  'germany1', 'deutschland', 'mercedes', 'ferrari1', 'porsche911', 'corvette', 'mustang1', 'harley123',
  'harleydavidson', 'kawasaki', 'hondacivic', 'lamborghini',

  // This service: the first words anyone guesses against a Gatehouse login.
  'gatehouse', 'gatehouse1', 'gatehouse12', 'gatehouse123', 'gatehouse1234', 'gatehouse!', 'gatehouse@123',
  'gatehouse2024', 'gatehouse2025', 'gatehouse2026', 'gatehousepassword', 'mygatehouse',
]);
